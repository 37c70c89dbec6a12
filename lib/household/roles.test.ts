import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { can, PERMISSIONS, type MemberChange, type MemberState, type Permission, type Role, wouldLeaveNoAdmin } from "./roles";

describe("can(role, permission)", () => {
  const table: Record<Permission, Record<Role, boolean>> = {
    "household:manage": { admin: true, member: false, viewer: false },
    "cameras:manage": { admin: true, member: false, viewer: false },
    "settings:manage": { admin: true, member: false, viewer: false },
    "activity:household": { admin: true, member: false, viewer: false },
    "video:watch": { admin: true, member: true, viewer: true },
    "events:download": { admin: true, member: true, viewer: true },
    "events:protect": { admin: true, member: true, viewer: false },
    "events:delete": { admin: true, member: true, viewer: false },
    "events:delete-range": { admin: true, member: false, viewer: false },
    "storage:view": { admin: true, member: false, viewer: false },
    "modes:switch": { admin: true, member: true, viewer: false },
    "detections:correct": { admin: true, member: true, viewer: false },
    "ptz:control": { admin: true, member: true, viewer: false },
    "timelapse:make": { admin: true, member: true, viewer: false },
  };
  test("the table covers every permission", () => assert.deepEqual(Object.keys(table).sort(), Object.keys(PERMISSIONS).sort()));
  for (const [permission, roles] of Object.entries(table)) {
    for (const [role, expected] of Object.entries(roles)) {
      test(`${role} ${expected ? "may" : "may not"} ${permission}`, () => assert.equal(can(role as Role, permission as Permission), expected));
    }
  }
});

describe("wouldLeaveNoAdmin", () => {
  const a = (id: string, role: Role = "admin", isDisabled = false): MemberState => ({ id, role, isDisabled });
  const cases: [string, MemberState[], MemberChange, boolean][] = [
    ["demote the only admin", [a("1"), a("2", "member")], { id: "1", role: "member" }, true],
    ["disable the only admin", [a("1"), a("2", "member")], { id: "1", isDisabled: true }, true],
    ["remove the only admin", [a("1"), a("2", "viewer")], { id: "1", removed: true }, true],
    ["demote one of two admins", [a("1"), a("2")], { id: "1", role: "viewer" }, false],
    ["the other admin is disabled", [a("1"), a("2", "admin", true)], { id: "1", role: "member" }, true],
    ["promote a member", [a("1"), a("2", "member")], { id: "2", role: "admin" }, false],
    ["re-enable a disabled admin", [a("1"), a("2", "admin", true)], { id: "2", isDisabled: false }, false],
    ["remove a member", [a("1"), a("2", "member")], { id: "2", removed: true }, false],
  ];
  for (const [name, members, change, expected] of cases) test(name, () => assert.equal(wouldLeaveNoAdmin(members, change), expected));
});
