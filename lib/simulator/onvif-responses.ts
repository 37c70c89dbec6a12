// The XML of the simulated camera's ONVIF answers (Profile S device, media, PTZ and event services): pure functions of
// the camera's description and state, so the service (onvif-service.ts) only parses, authorizes and dispatches. The
// prefixes are those of lib/onvif/soap.ts's NS (declared on every envelope). Spaces are ONVIF's generic ones: pan and
// tilt in [-1, 1], zoom in [0, 1], velocities in [-1, 1].
import { formatDuration } from "../onvif/duration";
import { escapeXml } from "../onvif/xml";
import { DEFAULT_MOVE_TIMEOUT_MS, MAX_PRESETS, type PtzPreset, type PtzStatus, type PtzVector } from "./ptz";
import type { EventMessage } from "./pull-points";

export type StreamProfile = { token: string; name: string; width: number; height: number; fps: number; bitrateKbps: number; encoding: "H264" | "H265"; path: string };

/** What the answers describe: the camera, its two streams and whether it has a PTZ head. */
export type CameraDescription = {
  manufacturer: string;
  model: string;
  firmware: string;
  serial: string;
  hardwareId: string;
  hostname: string;
  /** Locally administered MAC address shown by GetNetworkInterfaces, "02:…". */
  mac: string;
  /** IPv4 address of the camera (the host it reports). */
  address: string;
  profiles: StreamProfile[];
  /** The video source's size (the main stream's). */
  source: { width: number; height: number; fps: number };
  hasPtz: boolean;
};

export const SPACES = {
  panTiltPosition: "http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace",
  zoomPosition: "http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace",
  panTiltTranslation: "http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationGenericSpace",
  zoomTranslation: "http://www.onvif.org/ver10/tptz/ZoomSpaces/TranslationGenericSpace",
  panTiltVelocity: "http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace",
  zoomVelocity: "http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace",
  panTiltSpeed: "http://www.onvif.org/ver10/tptz/PanTiltSpaces/GenericSpeedSpace",
  zoomSpeed: "http://www.onvif.org/ver10/tptz/ZoomSpaces/ZoomGenericSpeedSpace",
} as const;

export const SERVICE_PATHS = { device: "/onvif/device_service", media: "/onvif/media_service", ptz: "/onvif/ptz_service", events: "/onvif/event_service" } as const;
/** Where a pull-point subscription lives: this prefix and its id. */
export const SUBSCRIPTION_PATH = "/onvif/subscription/";

const NAMESPACES = {
  device: "http://www.onvif.org/ver10/device/wsdl",
  media: "http://www.onvif.org/ver10/media/wsdl",
  ptz: "http://www.onvif.org/ver20/ptz/wsdl",
  events: "http://www.onvif.org/ver10/events/wsdl",
} as const;

/** The motion topics the camera announces, in the ONVIF topic namespace (tns1). */
export const MOTION_TOPICS = { cell: "tns1:RuleEngine/CellMotionDetector/Motion", alarm: "tns1:VideoSource/MotionAlarm" } as const;
const TOPIC_DIALECT = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet";

const iso = (d: Date) => d.toISOString();
const range = (min: number, max: number) => `<tt:Min>${min}</tt:Min><tt:Max>${max}</tt:Max>`;

// ---- device -----------------------------------------------------------------------------------------------------

export function systemDateAndTime(now: Date): string {
  return (
    `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>` +
    `<tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone><tt:UTCDateTime><tt:Time><tt:Hour>${now.getUTCHours()}</tt:Hour><tt:Minute>${now.getUTCMinutes()}</tt:Minute><tt:Second>${now.getUTCSeconds()}</tt:Second></tt:Time>` +
    `<tt:Date><tt:Year>${now.getUTCFullYear()}</tt:Year><tt:Month>${now.getUTCMonth() + 1}</tt:Month><tt:Day>${now.getUTCDate()}</tt:Day></tt:Date></tt:UTCDateTime>` +
    `</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`
  );
}

export function deviceInformation(c: CameraDescription): string {
  return (
    `<tds:GetDeviceInformationResponse><tds:Manufacturer>${escapeXml(c.manufacturer)}</tds:Manufacturer><tds:Model>${escapeXml(c.model)}</tds:Model>` +
    `<tds:FirmwareVersion>${escapeXml(c.firmware)}</tds:FirmwareVersion><tds:SerialNumber>${escapeXml(c.serial)}</tds:SerialNumber>` +
    `<tds:HardwareId>${escapeXml(c.hardwareId)}</tds:HardwareId></tds:GetDeviceInformationResponse>`
  );
}

export function capabilities(c: CameraDescription, base: string): string {
  return (
    `<tds:GetCapabilitiesResponse><tds:Capabilities>` +
    `<tt:Device><tt:XAddr>${base}${SERVICE_PATHS.device}</tt:XAddr><tt:System><tt:DiscoveryResolve>true</tt:DiscoveryResolve><tt:DiscoveryBye>true</tt:DiscoveryBye>` +
    `<tt:RemoteDiscovery>false</tt:RemoteDiscovery><tt:SystemBackup>false</tt:SystemBackup><tt:SystemLogging>false</tt:SystemLogging><tt:FirmwareUpgrade>false</tt:FirmwareUpgrade>` +
    `<tt:SupportedVersions><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tt:SupportedVersions></tt:System></tt:Device>` +
    `<tt:Events><tt:XAddr>${base}${SERVICE_PATHS.events}</tt:XAddr><tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport>` +
    `<tt:WSPullPointSupport>true</tt:WSPullPointSupport><tt:WSPausableSubscriptionManagerInterfaceSupport>false</tt:WSPausableSubscriptionManagerInterfaceSupport></tt:Events>` +
    `<tt:Media><tt:XAddr>${base}${SERVICE_PATHS.media}</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast>` +
    `<tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>` +
    (c.hasPtz ? `<tt:PTZ><tt:XAddr>${base}${SERVICE_PATHS.ptz}</tt:XAddr></tt:PTZ>` : "") +
    `</tds:Capabilities></tds:GetCapabilitiesResponse>`
  );
}

export function services(c: CameraDescription, base: string, withCapabilities: boolean): string {
  const entry = (ns: string, path: string, caps: string) =>
    `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${base}${path}</tds:XAddr>` +
    (withCapabilities ? `<tds:Capabilities>${caps}</tds:Capabilities>` : "") +
    `<tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>`;
  return (
    `<tds:GetServicesResponse>` +
    entry(NAMESPACES.device, SERVICE_PATHS.device, deviceServiceCapabilities(true)) +
    entry(NAMESPACES.media, SERVICE_PATHS.media, mediaServiceCapabilities(true)) +
    entry(NAMESPACES.events, SERVICE_PATHS.events, eventServiceCapabilities(true)) +
    (c.hasPtz ? entry(NAMESPACES.ptz, SERVICE_PATHS.ptz, ptzServiceCapabilities(true)) : "") +
    `</tds:GetServicesResponse>`
  );
}

/** The service's Capabilities element: bare inside GetServices (`bare`), or wrapped as GetServiceCapabilitiesResponse. */
export function deviceServiceCapabilities(bare = false): string {
  const caps =
    `<tds:Capabilities><tds:Network IPFilter="false" ZeroConfiguration="false" IPVersion6="false" DynDNS="false" HostnameFromDHCP="false" NTP="0"/>` +
    `<tds:Security UsernameToken="true" HttpDigest="false" TLS1.0="false" TLS1.1="false" TLS1.2="false" OnboardKeyGeneration="false" AccessPolicyConfig="false" DefaultAccessPolicy="false" Dot1X="false" RemoteUserHandling="false" X.509Token="false" SAMLToken="false" KerberosToken="false" RELToken="false"/>` +
    `<tds:System DiscoveryResolve="true" DiscoveryBye="true" RemoteDiscovery="false" SystemBackup="false" SystemLogging="false" FirmwareUpgrade="false" HttpFirmwareUpgrade="false" HttpSystemBackup="false" HttpSystemLogging="false" HttpSupportInformation="false"/>` +
    `</tds:Capabilities>`;
  return bare ? caps : `<tds:GetServiceCapabilitiesResponse>${caps}</tds:GetServiceCapabilitiesResponse>`;
}

export function scopes(c: CameraDescription): string {
  const fixed = ["onvif://www.onvif.org/Profile/Streaming", "onvif://www.onvif.org/type/video_encoder", ...(c.hasPtz ? ["onvif://www.onvif.org/type/ptz"] : [])];
  const configurable = [`onvif://www.onvif.org/name/${encodeURIComponent(c.model)}`, `onvif://www.onvif.org/hardware/${encodeURIComponent(c.hardwareId)}`, "onvif://www.onvif.org/location/home"];
  const scope = (def: string, item: string) => `<tds:Scopes><tt:ScopeDef>${def}</tt:ScopeDef><tt:ScopeItem>${escapeXml(item)}</tt:ScopeItem></tds:Scopes>`;
  return `<tds:GetScopesResponse>${fixed.map((s) => scope("Fixed", s)).join("")}${configurable.map((s) => scope("Configurable", s)).join("")}</tds:GetScopesResponse>`;
}

export function hostname(c: CameraDescription): string {
  return `<tds:GetHostnameResponse><tds:HostnameInformation><tt:FromDHCP>false</tt:FromDHCP><tt:Name>${escapeXml(c.hostname)}</tt:Name></tds:HostnameInformation></tds:GetHostnameResponse>`;
}

export function networkInterfaces(c: CameraDescription): string {
  return (
    `<tds:GetNetworkInterfacesResponse><tds:NetworkInterfaces token="eth0"><tt:Enabled>true</tt:Enabled>` +
    `<tt:Info><tt:Name>eth0</tt:Name><tt:HwAddress>${c.mac}</tt:HwAddress><tt:MTU>1500</tt:MTU></tt:Info>` +
    `<tt:IPv4><tt:Enabled>true</tt:Enabled><tt:Config><tt:Manual><tt:Address>${c.address}</tt:Address><tt:PrefixLength>24</tt:PrefixLength></tt:Manual><tt:DHCP>false</tt:DHCP></tt:Config></tt:IPv4>` +
    `</tds:NetworkInterfaces></tds:GetNetworkInterfacesResponse>`
  );
}

// ---- media ------------------------------------------------------------------------------------------------------

const videoSourceConfiguration = (c: CameraDescription, useCount: number) =>
  `<tt:Name>vsc</tt:Name><tt:UseCount>${useCount}</tt:UseCount><tt:SourceToken>vs</tt:SourceToken><tt:Bounds x="0" y="0" width="${c.source.width}" height="${c.source.height}"/>`;

const videoEncoderConfiguration = (p: StreamProfile) =>
  `<tt:Name>vec_${p.token}</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>${p.encoding}</tt:Encoding>` +
  `<tt:Resolution><tt:Width>${p.width}</tt:Width><tt:Height>${p.height}</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>` +
  `<tt:RateControl><tt:FrameRateLimit>${p.fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>${p.bitrateKbps}</tt:BitrateLimit></tt:RateControl>` +
  (p.encoding === "H264" ? `<tt:H264><tt:GovLength>${p.fps}</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>` : "") +
  `<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port><tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>` +
  `<tt:SessionTimeout>PT60S</tt:SessionTimeout>`;

const ptzConfiguration = (c: CameraDescription) =>
  `<tt:Name>ptz</tt:Name><tt:UseCount>${c.profiles.length}</tt:UseCount><tt:NodeToken>ptz_node</tt:NodeToken>` +
  // "Pant" is the ONVIF schema's own spelling of this element.
  `<tt:DefaultAbsolutePantTiltPositionSpace>${SPACES.panTiltPosition}</tt:DefaultAbsolutePantTiltPositionSpace><tt:DefaultAbsoluteZoomPositionSpace>${SPACES.zoomPosition}</tt:DefaultAbsoluteZoomPositionSpace>` +
  `<tt:DefaultRelativePanTiltTranslationSpace>${SPACES.panTiltTranslation}</tt:DefaultRelativePanTiltTranslationSpace><tt:DefaultRelativeZoomTranslationSpace>${SPACES.zoomTranslation}</tt:DefaultRelativeZoomTranslationSpace>` +
  `<tt:DefaultContinuousPanTiltVelocitySpace>${SPACES.panTiltVelocity}</tt:DefaultContinuousPanTiltVelocitySpace><tt:DefaultContinuousZoomVelocitySpace>${SPACES.zoomVelocity}</tt:DefaultContinuousZoomVelocitySpace>` +
  `<tt:DefaultPTZSpeed><tt:PanTilt x="1" y="1" space="${SPACES.panTiltSpeed}"/><tt:Zoom x="1" space="${SPACES.zoomSpeed}"/></tt:DefaultPTZSpeed>` +
  `<tt:DefaultPTZTimeout>${formatDuration(DEFAULT_MOVE_TIMEOUT_MS)}</tt:DefaultPTZTimeout>` +
  `<tt:PanTiltLimits><tt:Range><tt:URI>${SPACES.panTiltPosition}</tt:URI><tt:XRange>${range(-1, 1)}</tt:XRange><tt:YRange>${range(-1, 1)}</tt:YRange></tt:Range></tt:PanTiltLimits>` +
  `<tt:ZoomLimits><tt:Range><tt:URI>${SPACES.zoomPosition}</tt:URI><tt:XRange>${range(0, 1)}</tt:XRange></tt:Range></tt:ZoomLimits>`;

function profile(c: CameraDescription, p: StreamProfile, element: string): string {
  return (
    `<${element} token="${p.token}" fixed="true"><tt:Name>${p.name}</tt:Name>` +
    `<tt:VideoSourceConfiguration token="vsc">${videoSourceConfiguration(c, c.profiles.length)}</tt:VideoSourceConfiguration>` +
    `<tt:VideoEncoderConfiguration token="vec_${p.token}">${videoEncoderConfiguration(p)}</tt:VideoEncoderConfiguration>` +
    (c.hasPtz ? `<tt:PTZConfiguration token="ptz">${ptzConfiguration(c)}</tt:PTZConfiguration>` : "") +
    `</${element}>`
  );
}

export function profiles(c: CameraDescription): string {
  return `<trt:GetProfilesResponse>${c.profiles.map((p) => profile(c, p, "trt:Profiles")).join("")}</trt:GetProfilesResponse>`;
}

export function oneProfile(c: CameraDescription, p: StreamProfile): string {
  return `<trt:GetProfileResponse>${profile(c, p, "trt:Profile")}</trt:GetProfileResponse>`;
}

export function videoSources(c: CameraDescription): string {
  return (
    `<trt:GetVideoSourcesResponse><trt:VideoSources token="vs"><tt:Framerate>${c.source.fps}</tt:Framerate>` +
    `<tt:Resolution><tt:Width>${c.source.width}</tt:Width><tt:Height>${c.source.height}</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>`
  );
}

export function videoSourceConfigurations(c: CameraDescription): string {
  return `<trt:GetVideoSourceConfigurationsResponse><trt:Configurations token="vsc">${videoSourceConfiguration(c, c.profiles.length)}</trt:Configurations></trt:GetVideoSourceConfigurationsResponse>`;
}

export function videoEncoderConfigurations(c: CameraDescription): string {
  return `<trt:GetVideoEncoderConfigurationsResponse>${c.profiles.map((p) => `<trt:Configurations token="vec_${p.token}">${videoEncoderConfiguration(p)}</trt:Configurations>`).join("")}</trt:GetVideoEncoderConfigurationsResponse>`;
}

export function videoEncoderConfiguration1(p: StreamProfile): string {
  return `<trt:GetVideoEncoderConfigurationResponse><trt:Configuration token="vec_${p.token}">${videoEncoderConfiguration(p)}</trt:Configuration></trt:GetVideoEncoderConfigurationResponse>`;
}

export function mediaUri(action: "GetStreamUri" | "GetSnapshotUri", uri: string): string {
  return `<trt:${action}Response><trt:MediaUri><tt:Uri>${escapeXml(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:${action}Response>`;
}

export function mediaServiceCapabilities(bare = false): string {
  const caps =
    `<trt:Capabilities SnapshotUri="true" Rotation="false" VideoSourceMode="false" OSD="false" EXICompression="false">` +
    `<trt:ProfileCapabilities MaximumNumberOfProfiles="2"/><trt:StreamingCapabilities RTPMulticast="false" RTP_TCP="true" RTP_RTSP_TCP="true" NonAggregateControl="false" NoRTSPStreaming="false"/>` +
    `</trt:Capabilities>`;
  return bare ? caps : `<trt:GetServiceCapabilitiesResponse>${caps}</trt:GetServiceCapabilitiesResponse>`;
}

/** Empty answers for a camera without sound inputs or outputs (the actions exist; there is nothing to list). */
export function emptyList(action: string, prefix = "trt"): string {
  return `<${prefix}:${action}Response/>`;
}

// ---- PTZ --------------------------------------------------------------------------------------------------------

export function ptzServiceCapabilities(bare = false): string {
  const caps = `<tptz:Capabilities EFlip="false" Reverse="false" GetCompatibleConfigurations="false" MoveStatus="true" StatusPosition="true"/>`;
  return bare ? caps : `<tptz:GetServiceCapabilitiesResponse>${caps}</tptz:GetServiceCapabilitiesResponse>`;
}

const spaceRanges =
  `<tt:AbsolutePanTiltPositionSpace><tt:URI>${SPACES.panTiltPosition}</tt:URI><tt:XRange>${range(-1, 1)}</tt:XRange><tt:YRange>${range(-1, 1)}</tt:YRange></tt:AbsolutePanTiltPositionSpace>` +
  `<tt:AbsoluteZoomPositionSpace><tt:URI>${SPACES.zoomPosition}</tt:URI><tt:XRange>${range(0, 1)}</tt:XRange></tt:AbsoluteZoomPositionSpace>` +
  `<tt:RelativePanTiltTranslationSpace><tt:URI>${SPACES.panTiltTranslation}</tt:URI><tt:XRange>${range(-2, 2)}</tt:XRange><tt:YRange>${range(-2, 2)}</tt:YRange></tt:RelativePanTiltTranslationSpace>` +
  `<tt:RelativeZoomTranslationSpace><tt:URI>${SPACES.zoomTranslation}</tt:URI><tt:XRange>${range(-1, 1)}</tt:XRange></tt:RelativeZoomTranslationSpace>` +
  `<tt:ContinuousPanTiltVelocitySpace><tt:URI>${SPACES.panTiltVelocity}</tt:URI><tt:XRange>${range(-1, 1)}</tt:XRange><tt:YRange>${range(-1, 1)}</tt:YRange></tt:ContinuousPanTiltVelocitySpace>` +
  `<tt:ContinuousZoomVelocitySpace><tt:URI>${SPACES.zoomVelocity}</tt:URI><tt:XRange>${range(-1, 1)}</tt:XRange></tt:ContinuousZoomVelocitySpace>` +
  `<tt:PanTiltSpeedSpace><tt:URI>${SPACES.panTiltSpeed}</tt:URI><tt:XRange>${range(0, 1)}</tt:XRange></tt:PanTiltSpeedSpace>` +
  `<tt:ZoomSpeedSpace><tt:URI>${SPACES.zoomSpeed}</tt:URI><tt:XRange>${range(0, 1)}</tt:XRange></tt:ZoomSpeedSpace>`;

const node = (element: string) =>
  `<${element} token="ptz_node" FixedHomePosition="false" GeoMove="false"><tt:Name>PTZ</tt:Name><tt:SupportedPTZSpaces>${spaceRanges}</tt:SupportedPTZSpaces>` +
  `<tt:MaximumNumberOfPresets>${MAX_PRESETS}</tt:MaximumNumberOfPresets><tt:HomeSupported>true</tt:HomeSupported></${element}>`;

export function ptzNodes(): string {
  return `<tptz:GetNodesResponse>${node("tptz:PTZNode")}</tptz:GetNodesResponse>`;
}

export function ptzNode(): string {
  return `<tptz:GetNodeResponse>${node("tptz:PTZNode")}</tptz:GetNodeResponse>`;
}

export function ptzConfigurations(c: CameraDescription): string {
  return `<tptz:GetConfigurationsResponse><tptz:PTZConfiguration token="ptz">${ptzConfiguration(c)}</tptz:PTZConfiguration></tptz:GetConfigurationsResponse>`;
}

export function ptzConfigurationOne(c: CameraDescription): string {
  return `<tptz:GetConfigurationResponse><tptz:PTZConfiguration token="ptz">${ptzConfiguration(c)}</tptz:PTZConfiguration></tptz:GetConfigurationResponse>`;
}

export function ptzConfigurationOptions(): string {
  return (
    `<tptz:GetConfigurationOptionsResponse><tptz:PTZConfigurationOptions><tt:Spaces>${spaceRanges}</tt:Spaces>` +
    `<tt:PTZTimeout><tt:Min>PT1S</tt:Min><tt:Max>PT60S</tt:Max></tt:PTZTimeout></tptz:PTZConfigurationOptions></tptz:GetConfigurationOptionsResponse>`
  );
}

const vector = (v: PtzVector) =>
  `<tt:PanTilt x="${v.pan}" y="${v.tilt}" space="${SPACES.panTiltPosition}"/><tt:Zoom x="${v.zoom}" space="${SPACES.zoomPosition}"/>`;

export function presets(list: PtzPreset[]): string {
  return `<tptz:GetPresetsResponse>${list.map((p) => `<tptz:Preset token="${escapeXml(p.token)}"><tt:Name>${escapeXml(p.name)}</tt:Name><tt:PTZPosition>${vector(p.position)}</tt:PTZPosition></tptz:Preset>`).join("")}</tptz:GetPresetsResponse>`;
}

export function setPresetResponse(token: string): string {
  return `<tptz:SetPresetResponse><tptz:PresetToken>${escapeXml(token)}</tptz:PresetToken></tptz:SetPresetResponse>`;
}

export function ptzStatus(s: PtzStatus): string {
  const state = (moving: boolean) => (moving ? "MOVING" : "IDLE");
  return (
    `<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position>${vector(s.position)}</tt:Position>` +
    `<tt:MoveStatus><tt:PanTilt>${state(s.moving.panTilt)}</tt:PanTilt><tt:Zoom>${state(s.moving.zoom)}</tt:Zoom></tt:MoveStatus>` +
    `<tt:UtcTime>${iso(s.at)}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>`
  );
}

/** The empty answer of a PTZ command (ContinuousMove, Stop, GotoPreset, …). */
export function ptzDone(action: string): string {
  return `<tptz:${action}Response/>`;
}

// ---- events -----------------------------------------------------------------------------------------------------

export function eventServiceCapabilities(bare = false): string {
  const caps = `<tev:Capabilities WSSubscriptionPolicySupport="false" WSPullPointSupport="true" WSPausableSubscriptionManagerInterfaceSupport="false" MaxNotificationProducers="0" MaxPullPoints="10" PersistentNotificationStorage="false"/>`;
  return bare ? caps : `<tev:GetServiceCapabilitiesResponse>${caps}</tev:GetServiceCapabilitiesResponse>`;
}

export function eventProperties(): string {
  const simple = (name: string, type: string) => `<tt:SimpleItemDescription Name="${name}" Type="${type}"/>`;
  const cell =
    `<tt:MessageDescription IsProperty="true"><tt:Source>${simple("VideoSourceConfigurationToken", "tt:ReferenceToken")}${simple("VideoAnalyticsConfigurationToken", "tt:ReferenceToken")}${simple("Rule", "xs:string")}</tt:Source>` +
    `<tt:Data>${simple("IsMotion", "xs:boolean")}</tt:Data></tt:MessageDescription>`;
  const alarm = `<tt:MessageDescription IsProperty="true"><tt:Source>${simple("Source", "tt:ReferenceToken")}</tt:Source><tt:Data>${simple("State", "xs:boolean")}</tt:Data></tt:MessageDescription>`;
  return (
    `<tev:GetEventPropertiesResponse><tev:TopicNamespaceLocation>http://www.onvif.org/onvif/ver10/topics/topicns.xml</tev:TopicNamespaceLocation>` +
    `<wsnt:FixedTopicSet>true</wsnt:FixedTopicSet>` +
    `<wstop:TopicSet><tns1:RuleEngine><CellMotionDetector><Motion wstop:topic="true">${cell}</Motion></CellMotionDetector></tns1:RuleEngine>` +
    `<tns1:VideoSource><MotionAlarm wstop:topic="true">${alarm}</MotionAlarm></tns1:VideoSource></wstop:TopicSet>` +
    `<wsnt:TopicExpressionDialect>http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet</wsnt:TopicExpressionDialect>` +
    `<wsnt:TopicExpressionDialect>http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete</wsnt:TopicExpressionDialect>` +
    `<tev:MessageContentFilterDialect>http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter</tev:MessageContentFilterDialect>` +
    `<tev:MessageContentSchemaLocation>http://www.onvif.org/onvif/ver10/schema/onvif.xsd</tev:MessageContentSchemaLocation>` +
    `</tev:GetEventPropertiesResponse>`
  );
}

export function subscriptionCreated(address: string, now: Date, termination: Date): string {
  return (
    `<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa:Address>${escapeXml(address)}</wsa:Address></tev:SubscriptionReference>` +
    `<wsnt:CurrentTime>${iso(now)}</wsnt:CurrentTime><wsnt:TerminationTime>${iso(termination)}</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>`
  );
}

export function renewed(now: Date, termination: Date): string {
  return `<wsnt:RenewResponse><wsnt:TerminationTime>${iso(termination)}</wsnt:TerminationTime><wsnt:CurrentTime>${iso(now)}</wsnt:CurrentTime></wsnt:RenewResponse>`;
}

export function notificationMessage(m: EventMessage): string {
  const items = (list: [string, string][]) => list.map(([name, value]) => `<tt:SimpleItem Name="${escapeXml(name)}" Value="${escapeXml(value)}"/>`).join("");
  return (
    `<wsnt:NotificationMessage><wsnt:Topic Dialect="${TOPIC_DIALECT}">${m.topic}</wsnt:Topic>` +
    `<wsnt:Message><tt:Message UtcTime="${iso(m.utcTime)}" PropertyOperation="${m.operation}">` +
    `<tt:Source>${items(m.source)}</tt:Source><tt:Data>${items(m.data)}</tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`
  );
}

export function pulled(messages: EventMessage[], now: Date, termination: Date): string {
  return (
    `<tev:PullMessagesResponse><tev:CurrentTime>${iso(now)}</tev:CurrentTime><tev:TerminationTime>${iso(termination)}</tev:TerminationTime>` +
    `${messages.map(notificationMessage).join("")}</tev:PullMessagesResponse>`
  );
}

export function unsubscribed(): string {
  return `<wsnt:UnsubscribeResponse/>`;
}

export function synchronizationPointSet(): string {
  return `<tev:SetSynchronizationPointResponse/>`;
}
