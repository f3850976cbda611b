CREATE TABLE "cohorts" (
	"cohort_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"protocol" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"protocol_version" integer DEFAULT 1 NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patient_timelines" (
	"cohort_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"revision" integer NOT NULL,
	"body" text NOT NULL,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "patient_timelines_cohort_id_patient_id_pk" PRIMARY KEY("cohort_id","patient_id")
);
--> statement-breakpoint
CREATE TABLE "patients" (
	"cohort_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"sex" text,
	"birth_year" integer,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reference_date" text,
	"recist_inputs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"revision" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "patients_cohort_id_patient_id_pk" PRIMARY KEY("cohort_id","patient_id")
);
--> statement-breakpoint
CREATE TABLE "studies" (
	"cohort_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"study_key" text NOT NULL,
	"date" text,
	"day_offset" double precision,
	"order_index" integer,
	"age_years" double precision,
	"time_days" double precision NOT NULL,
	"time_axis" text NOT NULL,
	"modality" text NOT NULL,
	"slice_thickness_mm" double precision,
	"body_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "studies_cohort_id_patient_id_study_key_pk" PRIMARY KEY("cohort_id","patient_id","study_key")
);
--> statement-breakpoint
CREATE TABLE "observations" (
	"cohort_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"study_key" text NOT NULL,
	"observation_id" text NOT NULL,
	"ordinal" integer NOT NULL,
	"position_mm" jsonb,
	"position_normalized" jsonb,
	"long_axis_mm" double precision NOT NULL,
	"short_axis_mm" double precision NOT NULL,
	"organ" text,
	"lesion_type" text,
	"nodal" boolean DEFAULT false NOT NULL,
	"embedding" jsonb,
	"source" jsonb,
	"noisy" boolean DEFAULT false NOT NULL,
	CONSTRAINT "observations_cohort_id_patient_id_observation_id_pk" PRIMARY KEY("cohort_id","patient_id","observation_id")
);
--> statement-breakpoint
CREATE TABLE "link_corrections" (
	"cohort_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"correction_id" integer NOT NULL,
	"kind" text NOT NULL,
	"from_observation_id" text NOT NULL,
	"to_observation_id" text NOT NULL,
	"actor" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone NOT NULL,
	"meta" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "link_corrections_cohort_id_patient_id_correction_id_pk" PRIMARY KEY("cohort_id","patient_id","correction_id")
);
--> statement-breakpoint
CREATE TABLE "track_links" (
	"cohort_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"from_observation_id" text NOT NULL,
	"to_observation_id" text NOT NULL,
	"cost" double precision NOT NULL,
	"confidence" double precision NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "track_links_cohort_id_patient_id_from_observation_id_to_observation_id_pk" PRIMARY KEY("cohort_id","patient_id","from_observation_id","to_observation_id")
);
--> statement-breakpoint
CREATE TABLE "tracks" (
	"cohort_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"track_id" text NOT NULL,
	"label" text NOT NULL,
	"observation_ids" jsonb NOT NULL,
	CONSTRAINT "tracks_cohort_id_patient_id_track_id_pk" PRIMARY KEY("cohort_id","patient_id","track_id")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"cohort_id" text NOT NULL,
	"audit_id" bigserial NOT NULL,
	"patient_id" text,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"route" text,
	"request_id" text,
	"before" jsonb,
	"after" jsonb,
	CONSTRAINT "audit_log_cohort_id_audit_id_pk" PRIMARY KEY("cohort_id","audit_id")
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"key_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"secret_hash" text NOT NULL,
	"scopes" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "patients" ADD CONSTRAINT "patients_cohort_id_cohorts_cohort_id_fk" FOREIGN KEY ("cohort_id") REFERENCES "public"."cohorts"("cohort_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "studies" ADD CONSTRAINT "studies_cohort_id_patient_id_patients_cohort_id_patient_id_fk" FOREIGN KEY ("cohort_id","patient_id") REFERENCES "public"."patients"("cohort_id","patient_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_cohort_id_patient_id_study_key_studies_cohort_id_patient_id_study_key_fk" FOREIGN KEY ("cohort_id","patient_id","study_key") REFERENCES "public"."studies"("cohort_id","patient_id","study_key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patient_timelines_cohort_idx" ON "patient_timelines" USING btree ("cohort_id");--> statement-breakpoint
CREATE INDEX "link_corrections_obs_idx" ON "link_corrections" USING btree ("cohort_id","patient_id","to_observation_id");--> statement-breakpoint
CREATE INDEX "audit_log_patient_idx" ON "audit_log" USING btree ("cohort_id","patient_id","audit_id");