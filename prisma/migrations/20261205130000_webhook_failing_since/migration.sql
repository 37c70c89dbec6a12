-- The start of an endpoint's failure streak (lib/webhooks/deliver.ts disables after 20 failures over at least 8 h).
ALTER TABLE "WebhookEndpoint" ADD COLUMN "failingSince" DATETIME;
