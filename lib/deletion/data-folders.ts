// Wiping the data folder's recordings and products at a factory reset (the database is emptied by the reset itself):
// every file under media/, exports/, live/, live-ondemand/ and the demo marker. Part of the deletion module, so that
// every removal of recordings has one owner.
import fs from "node:fs";
import path from "node:path";
import { RESET_FILES, RESET_FOLDERS } from "../data-dir";

/** Deletes the content of the reset folders and files. Returns how many files went. */
export function wipeDataFolders(dataDir: string): number {
  let files = 0;
  const count = (p: string): number => {
    try {
      const st = fs.statSync(p);
      if (!st.isDirectory()) return 1;
      return fs.readdirSync(p).reduce((n, e) => n + count(path.join(p, e)), 0);
    } catch {
      return 0;
    }
  };
  for (const folder of RESET_FOLDERS) {
    const dir = path.join(dataDir, folder); // a name of DATA_LAYOUT
    let entries: string[] = [];
    try {
      entries = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const e of entries) {
      files += count(path.join(dir, e));
      fs.rmSync(path.join(dir, e), { recursive: true, force: true });
    }
  }
  for (const name of RESET_FILES) {
    const file = path.join(dataDir, name); // a name of DATA_LAYOUT
    if (fs.existsSync(file)) {
      fs.rmSync(file, { force: true });
      files++;
    }
  }
  return files;
}

