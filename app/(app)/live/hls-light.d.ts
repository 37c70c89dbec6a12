// hls.js ships its smaller build ("light": no subtitles, alternate audio, DRM or ad insertion, none of which a camera
// stream uses) without type declarations of its own; its API is the full build's.
declare module "hls.js/light" {
  export * from "hls.js";
  export { default } from "hls.js";
}
