-- CreateTable
CREATE TABLE "PtzMove" (
    "cameraId" TEXT NOT NULL PRIMARY KEY,
    "lastCommandAt" DATETIME NOT NULL,
    "pauseUntil" DATETIME NOT NULL,
    "returnedAt" DATETIME,
    CONSTRAINT "PtzMove_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
