-- CreateIndex
CREATE INDEX "Event_cameraId_isProtected_startedAt_idx" ON "Event"("cameraId", "isProtected", "startedAt");
