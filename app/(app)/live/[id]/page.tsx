import Link from "@/app/_components/link";
import { headers } from "next/headers";
import { forbidden, notFound } from "next/navigation";
import { PageHeader } from "@/app/_components/page-header";
import { requirePageViewer } from "@/lib/auth/guard";
import { getCameraFor } from "@/lib/cameras/cameras";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { nonceOf } from "@/lib/http/security-headers";
import { liveStreamUrl, liveWhepUrl } from "@/lib/live/url";
import { getT } from "@/lib/http/locale";
import { can } from "@/lib/household/roles";
import { StatusBadge } from "../../cameras/status-badge";
import { earlyOfferScript } from "../webrtc";
import { LiveView } from "./live-view";
import { PtzControls } from "./ptz-controls";

export async function generateMetadata() {
  return { title: (await getT())("live.title") };
}

// One camera large: its main stream, fullscreen, a snapshot, and the live latency; the PTZ controls for a camera that
// can pan, tilt or zoom. Disabled cameras have no live view.
export default async function LiveCameraPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requirePageViewer();
  const { id } = await params;
  let camera;
  try {
    camera = await getCameraFor(await db(), viewer, id);
  } catch (err) {
    if (isAppError(err) && err.code === "not_found") notFound();
    if (isAppError(err) && err.code === "forbidden") forbidden();
    throw err;
  }
  if (!camera.isEnabled) notFound();
  const t = await getT();
  const isWebRtc = getEnv().WEBRTC_ENABLED && !camera.privacyMode;
  const nonce = isWebRtc ? nonceOf((await headers()).get("content-security-policy")) : null;
  return (
    <>
      <Link href="/live" className="text-sm text-brand-600 hover:underline">
        ← {t("live.back")}
      </Link>
      <PageHeader title={camera.name}>
        <StatusBadge state={camera.status.state} since={camera.status.since} />
      </PageHeader>
      {/* The player's first request, hoisted into the page head by React: the browser sends it while the scripts still
          load, and hls.js (its fetch loader for playlists: same URL, mode and credentials) takes the response over. An
          on-request stream starts that much earlier too. Not when WebRTC is on: the player tries that first, and a
          preloaded playlist would only start an HLS ingest nobody reads. */}
      {camera.privacyMode || getEnv().WEBRTC_ENABLED ? null : <link rel="preload" as="fetch" href={liveStreamUrl(camera.id, "main")} crossOrigin="anonymous" />}
      {/* The same for WebRTC: the offer is made and POSTed by this script while the page's scripts still load, and the
          player takes it over (app/(app)/live/webrtc.ts earlyOfferScript). It runs only on a full page load. */}
      {nonce ? <script nonce={nonce} dangerouslySetInnerHTML={{ __html: earlyOfferScript(liveWhepUrl(camera.id, "main")) }} /> : null}
      <LiveView camera={{ id: camera.id, name: camera.name, privacyMode: camera.privacyMode }} />
      {/* Steering: admins and members who see a camera that can pan, tilt or zoom; viewers get no controls. */}
      {camera.hasPtz && !camera.privacyMode && can(viewer.role, "ptz:control") ? <PtzControls cameraId={camera.id} canConfigure={can(viewer.role, "cameras:manage")} /> : null}
    </>
  );
}
