-- Object detection (#13): per-camera settings, the labels and boxes of events, members' corrections.
-- CreateTable
CREATE TABLE "EventLabel" (
    "eventId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "score" REAL NOT NULL,
    "firstAt" DATETIME NOT NULL,

    PRIMARY KEY ("eventId", "label"),
    CONSTRAINT "EventLabel_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Detection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "eventId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "label" TEXT NOT NULL,
    "score" REAL NOT NULL,
    "x1" REAL NOT NULL,
    "y1" REAL NOT NULL,
    "x2" REAL NOT NULL,
    "y2" REAL NOT NULL,
    "isWrong" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Detection_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DetectionCorrection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "cameraId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "x1" REAL NOT NULL,
    "y1" REAL NOT NULL,
    "x2" REAL NOT NULL,
    "y2" REAL NOT NULL,
    "detectionId" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DetectionCorrection_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DetectionCorrection_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- AlterTable (plain ADD COLUMN: both have constant defaults)
ALTER TABLE "Camera" ADD COLUMN "detectionConfig" TEXT NOT NULL DEFAULT '{}';
ALTER TABLE "Event" ADD COLUMN "objectCount" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "EventLabel_label_eventId_idx" ON "EventLabel"("label", "eventId");

-- CreateIndex
CREATE INDEX "Detection_eventId_idx" ON "Detection"("eventId");

-- CreateIndex
CREATE UNIQUE INDEX "DetectionCorrection_detectionId_key" ON "DetectionCorrection"("detectionId");

-- CreateIndex
CREATE INDEX "DetectionCorrection_cameraId_idx" ON "DetectionCorrection"("cameraId");
