-- CreateTable
CREATE TABLE "Event" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "cameraId" TEXT,
    "cameraName" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    "peakScore" REAL NOT NULL DEFAULT 0,
    "peakAt" DATETIME,
    "zones" TEXT NOT NULL DEFAULT '[]',
    "isProtected" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Event_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Clip" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "eventId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "durationMs" INTEGER NOT NULL,
    CONSTRAINT "Clip_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Photo" (
    "eventId" TEXT NOT NULL PRIMARY KEY,
    "path" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "thumbPath" TEXT NOT NULL,
    "thumbBytes" INTEGER NOT NULL,
    "thumbWidth" INTEGER NOT NULL,
    "thumbHeight" INTEGER NOT NULL,
    "takenAt" DATETIME NOT NULL,
    CONSTRAINT "Photo_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Event_cameraId_startedAt_idx" ON "Event"("cameraId", "startedAt");

-- CreateIndex
CREATE INDEX "Event_startedAt_idx" ON "Event"("startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Clip_path_key" ON "Clip"("path");

-- CreateIndex
CREATE INDEX "Clip_startedAt_idx" ON "Clip"("startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Clip_eventId_sequence_key" ON "Clip"("eventId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "Photo_path_key" ON "Photo"("path");

-- CreateIndex
CREATE UNIQUE INDEX "Photo_thumbPath_key" ON "Photo"("thumbPath");
