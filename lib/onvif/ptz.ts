// ONVIF PTZ (ver20) requests and answers as pure functions: what Nightjar sends to move a camera, stop it, read where
// it points and manage its presets, and how it reads the answers. Positions and velocities are in ONVIF's generic
// spaces (the default spaces of every PTZ node): pan and tilt in [-1, 1], zoom in [0, 1]; velocities in [-1, 1].
// The client (client.ts) posts them to the camera's PTZ service.
import { formatDuration } from "./duration";
import { readServiceXaddr, SERVICE_NS } from "./services";
import { asArray, attrOf, childAt, escapeXml, isNode, textAt } from "./xml";


export type PtzVector = { pan: number; tilt: number; zoom: number };
export type PtzCameraStatus = { position: PtzVector | null; moving: { panTilt: boolean; zoom: boolean } };
export type PtzCameraPreset = { token: string; name: string; position: PtzVector | null };

const num = (v: number) => {
  if (!Number.isFinite(v)) throw new RangeError(`not a number: ${v}`);
  // Short decimals: cameras parse xs:float; no exponent notation.
  return Number(v.toFixed(4)).toString();
};
const profile = (token: string) => `<tptz:ProfileToken>${escapeXml(token)}</tptz:ProfileToken>`;
/** A PTZVector/PTZSpeed with the axes given (an axis left out is not moved). */
function vector(element: string, v: Partial<PtzVector>): string {
  const panTilt = v.pan !== undefined || v.tilt !== undefined ? `<tt:PanTilt x="${num(v.pan ?? 0)}" y="${num(v.tilt ?? 0)}"/>` : "";
  const zoom = v.zoom !== undefined ? `<tt:Zoom x="${num(v.zoom)}"/>` : "";
  return `<tptz:${element}>${panTilt}${zoom}</tptz:${element}>`;
}

export const ptzRequests = {
  continuousMove: (token: string, velocity: Partial<PtzVector>, timeoutMs?: number) =>
    `<tptz:ContinuousMove>${profile(token)}${vector("Velocity", velocity)}${timeoutMs !== undefined ? `<tptz:Timeout>${formatDuration(timeoutMs)}</tptz:Timeout>` : ""}</tptz:ContinuousMove>`,
  stop: (token: string) => `<tptz:Stop>${profile(token)}<tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true</tptz:Zoom></tptz:Stop>`,
  absoluteMove: (token: string, position: Partial<PtzVector>) => `<tptz:AbsoluteMove>${profile(token)}${vector("Position", position)}</tptz:AbsoluteMove>`,
  relativeMove: (token: string, translation: Partial<PtzVector>) => `<tptz:RelativeMove>${profile(token)}${vector("Translation", translation)}</tptz:RelativeMove>`,
  getStatus: (token: string) => `<tptz:GetStatus>${profile(token)}</tptz:GetStatus>`,
  getPresets: (token: string) => `<tptz:GetPresets>${profile(token)}</tptz:GetPresets>`,
  setPreset: (token: string, name: string, presetToken?: string) =>
    `<tptz:SetPreset>${profile(token)}<tptz:PresetName>${escapeXml(name)}</tptz:PresetName>${presetToken ? `<tptz:PresetToken>${escapeXml(presetToken)}</tptz:PresetToken>` : ""}</tptz:SetPreset>`,
  removePreset: (token: string, presetToken: string) => `<tptz:RemovePreset>${profile(token)}<tptz:PresetToken>${escapeXml(presetToken)}</tptz:PresetToken></tptz:RemovePreset>`,
  gotoPreset: (token: string, presetToken: string) => `<tptz:GotoPreset>${profile(token)}<tptz:PresetToken>${escapeXml(presetToken)}</tptz:PresetToken></tptz:GotoPreset>`,
  gotoHomePosition: (token: string) => `<tptz:GotoHomePosition>${profile(token)}</tptz:GotoHomePosition>`,
  setHomePosition: (token: string) => `<tptz:SetHomePosition>${profile(token)}</tptz:SetHomePosition>`,
};

/** A PTZVector element read into the axes it has; null when it has neither PanTilt nor Zoom, or a value is not a number. */
export function readVector(v: unknown): PtzVector | null {
  if (!isNode(v)) return null;
  const panTilt = childAt(v, "PanTilt");
  const zoom = childAt(v, "Zoom");
  if (panTilt === undefined && zoom === undefined) return null;
  const n = (s: string | undefined) => (s === undefined || s.trim() === "" ? Number.NaN : Number(s));
  const out = { pan: panTilt === undefined ? 0 : n(attrOf(panTilt, "x")), tilt: panTilt === undefined ? 0 : n(attrOf(panTilt, "y")), zoom: zoom === undefined ? 0 : n(attrOf(zoom, "x")) };
  return Object.values(out).every(Number.isFinite) ? out : null;
}

/** GetStatusResponse: where it points (null if the camera does not say) and whether it moves (MOVING; IDLE/UNKNOWN → false). */
export function readStatus(body: unknown): PtzCameraStatus | null {
  const status = childAt(body, "GetStatusResponse", "PTZStatus");
  if (status === undefined) return null;
  const moving = (axis: string) => (textAt(status, "MoveStatus", axis) ?? "").toUpperCase() === "MOVING";
  return { position: readVector(childAt(status, "Position")), moving: { panTilt: moving("PanTilt"), zoom: moving("Zoom") } };
}

/** GetPresetsResponse: presets with a token; a missing name is the token. */
export function readPresets(body: unknown): PtzCameraPreset[] {
  const r = childAt(body, "GetPresetsResponse");
  const list = isNode(r) ? asArray((r as Record<string, unknown>)["Preset"]) : [];
  const out: PtzCameraPreset[] = [];
  for (const p of list) {
    const token = attrOf(p, "token");
    if (!token) continue;
    out.push({ token, name: textAt(p, "Name") ?? token, position: readVector(childAt(p, "PTZPosition")) });
  }
  return out;
}

/** SetPresetResponse's token; undefined when missing. */
export function readSetPresetToken(body: unknown): string | undefined {
  return textAt(body, "SetPresetResponse", "PresetToken");
}

/** The PTZ service XAddr from GetServicesResponse (ver20 PTZ namespace) or GetCapabilitiesResponse. */
export const readPtzXaddr = (body: unknown) => readServiceXaddr(body, SERVICE_NS.ptz, "PTZ");
