import { describe, expect, it } from "vitest";
import { shouldColor, styles, visibleWidth } from "../../src/cli/output/color.js";
import { Output, type WritableLike } from "../../src/cli/output/output.js";
import { relativeTime } from "../../src/cli/output/relative-time.js";
import { withSpinner } from "../../src/cli/output/spinner.js";
import { formatTable } from "../../src/cli/output/table.js";

class Sink implements WritableLike {
  text = "";
  constructor(readonly isTTY: boolean) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

describe("colour decision", () => {
  it("follows the TTY unless NO_COLOR or FORCE_COLOR says otherwise", () => {
    expect(shouldColor({ isTTY: true, env: {} })).toBe(true);
    expect(shouldColor({ isTTY: false, env: {} })).toBe(false);
    expect(shouldColor({ isTTY: true, env: { NO_COLOR: "1" } })).toBe(false);
    expect(shouldColor({ isTTY: true, env: { NO_COLOR: "" } })).toBe(true);
    expect(shouldColor({ isTTY: false, env: { FORCE_COLOR: "1" } })).toBe(true);
    expect(shouldColor({ isTTY: true, env: { FORCE_COLOR: "0" } })).toBe(false);
    expect(shouldColor({ isTTY: false, env: { FORCE_COLOR: "1", NO_COLOR: "x" } })).toBe(false);
  });

  it("styles are identity functions when colour is off", () => {
    expect(styles(false).red("x")).toBe("x");
    expect(styles(true).red("x")).toBe("\x1b[31mx\x1b[39m");
    expect(visibleWidth(styles(true).bold("abc"))).toBe(3);
  });
});

describe("formatTable", () => {
  const rows = [
    { id: "abc", name: "first pod", cost: "0.44" },
    { id: "defghi", name: "x", cost: "12.10" },
  ];
  const columns = [
    { header: "ID", value: (r: (typeof rows)[number]) => r.id },
    { header: "NAME", value: (r: (typeof rows)[number]) => r.name },
    { header: "$/HR", value: (r: (typeof rows)[number]) => r.cost, align: "right" as const },
  ];

  it("aligns columns by their widest cell, right-aligning numbers, without trailing spaces", () => {
    expect(formatTable(columns, rows)).toBe(
      ["ID      NAME        $/HR", "abc     first pod   0.44", "defghi  x          12.10"].join(
        "\n",
      ),
    );
  });

  it("ignores ANSI styling when measuring", () => {
    const red = styles(true).red;
    const styled = [
      { header: "A", value: (r: { a: string }) => red(r.a) },
      { header: "B", value: () => "b" },
    ];
    const lines = formatTable(styled, [{ a: "xx" }, { a: "yyyy" }]).split("\n");
    expect(lines.map((l) => visibleWidth(l))).toEqual([7, 7, 7]);
  });
});

describe("relativeTime", () => {
  const now = Date.parse("2026-11-23T12:00:00Z");
  it.each([
    ["2026-11-23T11:59:55Z", "just now"],
    ["2026-11-23T11:59:30Z", "30 s ago"],
    ["2026-11-23T11:57:00Z", "3 min ago"],
    ["2026-11-23T07:00:00Z", "5 h ago"],
    ["2026-11-20T12:00:00Z", "3 d ago"],
    ["2026-11-23T12:02:00Z", "in 2 min"],
    ["2026-01-02T00:00:00Z", "2026-01-02"],
    ["not a date", "not a date"],
  ])("%s → %s", (when, expected) => {
    expect(relativeTime(when, now)).toBe(expected);
  });
});

describe("Output", () => {
  it("--json sends data as JSON to stdout and notes to stderr", () => {
    const stdout = new Sink(false);
    const stderr = new Sink(false);
    const out = new Output({ stdout, stderr, env: {}, json: true });
    out.table([{ id: "a" }], [{ header: "ID", value: (r) => r.id }], "none");
    out.note("working");
    expect(JSON.parse(stdout.text)).toEqual([{ id: "a" }]);
    expect(stderr.text).toBe("working\n");
  });

  it("human output: a table, or the empty message; bold headers only on a TTY", () => {
    const pipe = new Sink(false);
    const plain = new Output({ stdout: pipe, stderr: new Sink(false), env: {}, json: false });
    plain.table([], [{ header: "ID", value: (r: { id: string }) => r.id }], "No pods.");
    plain.table([{ id: "a" }], [{ header: "ID", value: (r) => r.id }], "No pods.");
    expect(pipe.text).toBe("No pods.\nID\na\n");

    const tty = new Sink(true);
    new Output({ stdout: tty, stderr: new Sink(false), env: {}, json: false }).table(
      [{ id: "a" }],
      [{ header: "ID", value: (r) => r.id }],
      "",
    );
    expect(tty.text).toBe("\x1b[1mID\x1b[22m\na\n");
  });

  it("--json draws no spinner, even on a terminal and past the spinner's delay", async () => {
    const stderr = new Sink(true);
    const out = new Output({ stdout: new Sink(true), stderr, env: {}, json: true });
    // 300 ms: past the 250 ms after which a spinner would draw its first frame.
    const value = await out.spin("Uploading", () => new Promise((r) => setTimeout(r, 300, 7)));
    expect(value).toBe(7);
    expect(stderr.text).toBe("");
  });
});

describe("withSpinner", () => {
  it("writes nothing when the stream is not a TTY and returns the task's value", async () => {
    const sink = new Sink(false);
    await expect(withSpinner(sink, "waiting", async () => 42, { delayMs: 0 })).resolves.toBe(42);
    expect(sink.text).toBe("");
  });

  it("on a TTY draws frames once the delay passes, then clears its line", async () => {
    const sink = new Sink(true);
    let drawn!: () => void;
    const firstFrame = new Promise<void>((resolve) => (drawn = resolve));
    const watched: WritableLike = {
      isTTY: true,
      write: (t) => {
        sink.write(t);
        drawn();
        return true;
      },
    };
    await withSpinner(
      watched,
      "waiting for pod",
      async (update) => {
        await firstFrame;
        update("pod is starting");
      },
      { delayMs: 0, intervalMs: 5 },
    );
    expect(sink.text).toContain("waiting for pod");
    expect(sink.text).toContain("pod is starting");
    expect(sink.text.endsWith("\r\x1b[2K")).toBe(true);
  });

  it("propagates the task's error and still clears", async () => {
    const sink = new Sink(true);
    await expect(
      withSpinner(sink, "x", async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(sink.text).toBe("");
  });
});
