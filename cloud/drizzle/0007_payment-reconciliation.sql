CREATE TABLE "payment_reconciliations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"date" varchar(10) NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"ran_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stripe_payments" integer NOT NULL,
	"stripe_refunds" integer NOT NULL,
	"differences" jsonb NOT NULL,
	CONSTRAINT "payment_reconciliations_date_unique" UNIQUE("date")
);
