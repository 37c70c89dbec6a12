-- AlterTable
ALTER TABLE "User" ADD COLUMN "reviewedUpTo" DATETIME;

-- CreateTable
CREATE TABLE "EventReview" (
    "userId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "reviewedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("userId", "eventId"),
    CONSTRAINT "EventReview_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "EventReview_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "EventReview_eventId_idx" ON "EventReview"("eventId");

-- Members who existed before the review queue start with nothing to review (not with every event ever recorded).
-- The text format is the adapter's for DateTime (ISO 8601 with milliseconds and +00:00).
UPDATE "User" SET "reviewedUpTo" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now');
