// Where a device's services are: the one reader of a service's XAddr in a GetServicesResponse (by namespace) or a
// GetCapabilitiesResponse (by capability element), for media, PTZ and events alike.
import { asArray, childAt, isNode, textAt } from "./xml";

export const SERVICE_NS = {
  media: "http://www.onvif.org/ver10/media/wsdl",
  ptz: "http://www.onvif.org/ver20/ptz/wsdl",
  events: "http://www.onvif.org/ver10/events/wsdl",
} as const;

/**
 * The XAddr of the service with `namespace` in a GetServicesResponse; else, given `capability` ("Media", "PTZ",
 * "Events"), the one in a GetCapabilitiesResponse. undefined when the answer names none.
 */
export function readServiceXaddr(body: unknown, namespace: string, capability?: string): string | undefined {
  const list = childAt(body, "GetServicesResponse");
  const services = asArray(isNode(list) ? (list as Record<string, unknown>)["Service"] : undefined);
  const service = services.find((s) => textAt(s, "Namespace") === namespace);
  if (service !== undefined) return textAt(service, "XAddr");
  return capability === undefined ? undefined : textAt(body, "GetCapabilitiesResponse", "Capabilities", capability, "XAddr");
}
