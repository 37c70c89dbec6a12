import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isDownloadRequest, isResumedDownload, servedCameras } from "./media-activity";

describe("media activity rules", () => {
  test("a download is ?download=1; a resumed one asks for a range past its first byte", () => {
    const rows: [string, string | null, boolean, boolean][] = [
      // url, Range header, download?, resumed?
      ["http://x/a.mp4", null, false, false],
      ["http://x/a.mp4?download=1", null, true, false],
      ["http://x/a.mp4?download=0", null, false, false],
      ["http://x/a.mp4?download=1", "bytes=0-", true, false],
      ["http://x/a.mp4?download=1", " bytes=0-1023", true, false],
      ["http://x/a.mp4?download=1", "bytes=1024-", true, true],
      ["http://x/a.mp4?download=1", "bytes=-500", true, true],
    ];
    for (const [url, range, download, resumed] of rows) {
      const req = new Request(url, { headers: range ? { range } : {} });
      assert.equal(isDownloadRequest(req), download, url);
      assert.equal(isResumedDownload(req), resumed, `${url} ${range}`);
    }
  });

  test("the camera of a served response, and none for anything else", () => {
    const served = servedCameras();
    const res = served.note(new Response("x"), "cam-1");
    assert.equal(served.of(res), "cam-1");
    assert.equal(served.of(new Response("y")), null);
    assert.equal(served.of({ ok: true }), null);
    assert.equal(served.of(served.note(new Response("z"), null)), null);
  });
});
