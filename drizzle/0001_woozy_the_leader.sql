CREATE TABLE "forecast_records" (
	"cohort_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"subject" text NOT NULL,
	"origin_study_key" text NOT NULL,
	"step" integer NOT NULL,
	"horizon_days" double precision NOT NULL,
	"last_mm" double precision NOT NULL,
	"nadir_mm" double precision NOT NULL,
	"pred_mm" double precision NOT NULL,
	"q10_mm" double precision NOT NULL,
	"q90_mm" double precision NOT NULL,
	"p_progression" double precision NOT NULL,
	"model_version" text NOT NULL,
	"calibration" text NOT NULL,
	"interval_scale" double precision NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"target_study_key" text,
	"actual_mm" double precision,
	"abs_error_mm" double precision,
	"locf_abs_error_mm" double precision,
	"inside" boolean,
	"progressed" boolean,
	"scored_at" timestamp with time zone,
	CONSTRAINT "forecast_records_cohort_id_patient_id_subject_origin_study_key_step_pk" PRIMARY KEY("cohort_id","patient_id","subject","origin_study_key","step")
);
--> statement-breakpoint
ALTER TABLE "forecast_records" ADD CONSTRAINT "forecast_records_cohort_id_patient_id_patients_cohort_id_patient_id_fk" FOREIGN KEY ("cohort_id","patient_id") REFERENCES "public"."patients"("cohort_id","patient_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "forecast_records_scored_idx" ON "forecast_records" USING btree ("cohort_id","scored_at");