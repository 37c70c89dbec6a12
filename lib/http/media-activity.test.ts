import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isDownloadRequest, isResumedDownload, mediaActivity, servedCameras } from "./media-activity";

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

  test("a media route's activity: play, download, resumed, HEAD, attachment-only", () => {
    const app = mediaActivity<{ id: string; sequence: string }>("clip", { downloadData: (p) => ({ sequence: Number(p.sequence) }) });
    const v1 = mediaActivity<{ id: string; sequence: string }>("timelapse", { attachmentOnly: true });
    const params = { id: "ev1", sequence: "2" };
    const rows: [ReturnType<typeof mediaActivity<{ id: string; sequence: string }>>, string, string, string | null, string | null][] = [
      // route, method, url, Range, action expected (null: nothing recorded)
      [app, "GET", "http://x/c", null, "clip.play"],
      [app, "GET", "http://x/c", "bytes=5000-", "clip.play"], // seeking while playing is the same play (deduplicated later)
      [app, "HEAD", "http://x/c", null, null],
      [app, "GET", "http://x/c?download=1", null, "clip.download"],
      [app, "GET", "http://x/c?download=1", "bytes=5000-", null],
      [v1, "GET", "http://x/t", null, "timelapse.download"],
      [v1, "GET", "http://x/t", "bytes=0-", "timelapse.download"],
      [v1, "GET", "http://x/t", "bytes=10-", null],
      [v1, "HEAD", "http://x/t", null, null],
    ];
    for (const [route, method, url, range, action] of rows) {
      const res = route.note(new Response("x"), "cam-1");
      const got = route.activity({ req: new Request(url, { method, headers: range ? { range } : {} }), params, result: res });
      assert.equal(got?.action ?? null, action, `${method} ${url} ${range}`);
      if (got) assert.equal(got.cameraId, "cam-1");
    }
    const download = app.activity({ req: new Request("http://x/c?download=1"), params, result: app.note(new Response("x"), null) });
    assert.deepEqual(download, { action: "clip.download", targetId: "ev1", cameraId: null, data: { sequence: 2 } });
    assert.equal(app.activity({ req: new Request("http://x/c"), params, result: null })?.cameraId, null);
  });
});
