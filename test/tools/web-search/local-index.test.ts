import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import Database from "better-sqlite3";
import { existsSync, readFileSync, statSync, rmSync, unlinkSync, utimesSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PonderError } from "../../../src/core/errors.js";
import { IndexBusyError } from "../../../src/tools/web/search/local/index-lock.js";
import { loadIndex } from "../../../src/tools/web/search/local/index-reader.js";
import { searchIndexState } from "../../../src/tools/web/search/local/index-search.js";
import { addFolders, listFolders, removeFolders, updateFolders } from "../../../src/tools/web/search/local/local-index.js";
import { readIndexState } from "../../../src/tools/web/search/local/index-file.js";
import { readIndexedDocument } from "../../../src/tools/web/search/local/indexed-document.js";
import { temporaryHome } from "../../support/temporary-home.js";
import { minimalPdf } from "../documents/minimal-pdf.js";
import { documentFolder } from "./search-test-support.js";

const corpus = {
  "physics/entanglement.md":
    "# Quantum entanglement\n\nTwo particles share one quantum state. Measuring one particle fixes the outcome for the other, " +
    "however far apart they are. Bell inequalities show no local hidden variables explain it.",
  "cooking/bread.md":
    "---\ntitle: Sourdough bread\n---\n\nFeed the starter, mix flour and water, let the dough rise overnight, bake at 250 degrees.",
  "cooking/pasta.txt": "Fresh pasta needs eggs and flour. Knead ten minutes, rest the dough, roll it thin and cut tagliatelle.",
  "history/rome.md":
    "## The fall of Rome\n\nThe western empire ended in 476 when Odoacer deposed Romulus Augustulus. Quantum physics did not exist yet.",
  "notes/.hidden/secret.md": "hidden quantum notes must not be indexed",
  "notes/readme.rst": "Notes about particles and waves in plain text.",
  "ignored.json": '{"quantum": true}',
};

async function withIndex(
  body: (context: { folder: ReturnType<typeof documentFolder>; directory: string }) => Promise<void>,
  files: Record<string, string> = corpus,
) {
  const home = temporaryHome();
  const folder = documentFolder(files);
  try {
    await body({ folder, directory: join(home.path, "index") });
  } finally {
    folder.remove();
    home.remove();
  }
}

function storedTextCount(directory: string): number {
  const database = new Database(join(directory, "texts.db"), { readonly: true });
  try {
    return (database.prepare("SELECT count(*) AS count FROM texts").get() as { count: number }).count;
  } finally {
    database.close();
  }
}

async function search(directory: string, query: string, limit = 5) {
  return searchIndexState(directory, await loadIndex(directory), query, limit);
}

test("add indexes Markdown and text, skips hidden folders and other types, and ranks the right document first", async () => {
  await withIndex(async ({ folder, directory }) => {
    const [report] = await addFolders(directory, [folder.path]);
    assert.deepEqual(
      { added: report?.added, changed: report?.changed, removed: report?.removed, failed: report?.failed },
      { added: 5, changed: 0, removed: 0, failed: [] },
    );

    const hits = await search(directory, "quantum entanglement particles");
    assert.equal(hits[0]?.title, "Quantum entanglement");
    assert.equal(hits[0]?.url, pathToFileURL(join(folder.path, "physics/entanglement.md")).href);
    assert.match(hits[0]?.snippet ?? "", /particles/);
    assert.ok(!hits.some((hit) => hit.path.includes(".hidden")), "hidden folders are not indexed");

    assert.equal((await search(directory, "sourdough"))[0]?.title, "Sourdough bread", "front matter title");
    assert.equal((await search(directory, "tagliatelle"))[0]?.title, "pasta", "text files are titled by name");
    assert.equal((await search(directory, "Odoacer"))[0]?.title, "The fall of Rome");
    assert.equal((await search(directory, "tagliatel"))[0]?.title, "pasta", "word beginnings match");
    assert.equal((await search(directory, "entanglment"))[0]?.title, "Quantum entanglement", "a small typo still matches");
    assert.deepEqual(await search(directory, "zeppelin"), []);

    const [listed] = await listFolders(directory);
    assert.equal(listed?.path, folder.path);
    assert.equal(listed?.documents, 5);
  });
});

test("HTML is indexed as its article and PDFs page by page, with the page in the URL; unreadable files are reported", async () => {
  const html =
    "<!doctype html><html><head><title>Tide tables</title></head><body><nav><a href='/'>Home</a> menu navigation</nav>" +
    "<article><h1>Tide tables</h1><p>Spring tides happen at new and full moon, when the sun and moon pull together.</p>" +
    "<p>Neap tides happen at the quarter moons, with the smallest range between high and low water.</p></article></body></html>";
  await withIndex(
    async ({ folder, directory }) => {
      folder.write(
        "harbour/manual.pdf",
        minimalPdf(
          ["Harbour manual: mooring lines.", "Chapter 2: the anchor winch needs grease monthly.", "Chapter 3: fenders."],
          "Harbour manual",
        ),
      );
      folder.write("harbour/broken.pdf", "%PDF-1.4 this is not really a PDF");
      const [report] = await addFolders(directory, [folder.path]);
      assert.equal(report?.added, 2);
      assert.deepEqual(
        report?.failed.map((failure) => failure.path),
        [join(folder.path, "harbour/broken.pdf")],
      );
      assert.match(report?.failed[0]?.reason ?? "", /PDF/);

      const [tides] = await search(directory, "neap tides");
      assert.equal(tides?.title, "Tide tables");
      assert.match(tides?.snippet ?? "", /Neap tides happen/);
      assert.deepEqual(await search(directory, "navigation"), [], "menus are not part of the article");

      const [winch] = await search(directory, "anchor winch grease");
      assert.equal(winch?.title, "Harbour manual");
      assert.equal(winch?.page, 2);
      assert.equal(winch?.url, `${pathToFileURL(join(folder.path, "harbour/manual.pdf")).href}#page=2`);
      assert.equal((await search(directory, "fenders"))[0]?.page, 3);
      const opened = await readIndexedDocument(directory, winch?.url ?? "");
      assert.equal(opened?.title, "Harbour manual");
      assert.deepEqual(
        opened?.pages?.map((page) => page.number),
        [1, 2, 3],
      );
      assert.match(opened?.text ?? "", /anchor winch/);
      assert.equal(await readIndexedDocument(directory, pathToFileURL("/etc/passwd").href), undefined, "only indexed documents");
      assert.equal((await listFolders(directory))[0]?.failed, 1);

      // The broken file is not tried again until it changes; once fixed, it is indexed.
      assert.deepEqual((await updateFolders(directory))[0]?.failed, []);
      folder.write("harbour/broken.pdf", minimalPdf(["Bilge pump maintenance."]));
      const [fixed] = await updateFolders(directory);
      assert.equal(fixed?.changed, 1);
      assert.equal((await search(directory, "bilge"))[0]?.title, "broken");
    },
    { "tides.html": html },
  );
});

test("update skips unchanged files, re-indexes changed ones, drops deleted ones and adds new ones", async () => {
  await withIndex(async ({ folder, directory }) => {
    await addFolders(directory, [folder.path]);

    const written = statSync(join(directory, "index.json")).ino;
    const [unchanged] = await updateFolders(directory);
    assert.deepEqual([unchanged?.added, unchanged?.changed, unchanged?.unchanged, unchanged?.removed], [0, 0, 5, 0]);
    assert.equal(statSync(join(directory, "index.json")).ino, written, "nothing changed: the index is not rewritten");

    // Touched but the same bytes: the hash shows nothing changed.
    const bread = join(folder.path, "cooking/bread.md");
    utimesSync(bread, new Date(), new Date(Date.now() + 5_000));
    const [touched] = await updateFolders(directory);
    assert.deepEqual([touched?.changed, touched?.unchanged], [0, 5]);

    folder.write("cooking/bread.md", "# Rye bread\n\nCaraway seeds and rye flour make a dense loaf.");
    unlinkSync(join(folder.path, "history/rome.md"));
    folder.write("space/mars.md", "# Mars\n\nThe red planet has two moons, Phobos and Deimos.");
    const [changed] = await updateFolders(directory, [folder.path]);
    assert.deepEqual([changed?.added, changed?.changed, changed?.unchanged, changed?.removed], [1, 1, 3, 1]);

    assert.equal((await search(directory, "caraway"))[0]?.title, "Rye bread");
    assert.deepEqual(await search(directory, "sourdough"), [], "the old text is gone");
    assert.deepEqual(await search(directory, "Odoacer"), [], "the deleted file is gone");
    assert.equal((await search(directory, "Phobos"))[0]?.title, "Mars");

    // Stored texts follow the index: one per indexed document, none left over.
    const state = await readIndexState(directory);
    assert.equal(storedTextCount(directory), Object.keys(state.files).length);
  });
});

test("remove drops a folder's documents and their stored texts; unknown folders are named in the error", async () => {
  await withIndex(async ({ folder, directory }) => {
    await addFolders(directory, [folder.path]);
    const [removed] = await removeFolders(directory, [folder.path]);
    assert.equal(removed?.removed, 5);
    assert.deepEqual(await listFolders(directory), []);
    assert.deepEqual(await search(directory, "quantum"), []);
    assert.equal(storedTextCount(directory), 0);
    await assert.rejects(removeFolders(directory, [folder.path]), /is not an indexed folder[\s\S]*/);
    await assert.rejects(addFolders(directory, [join(folder.path, "nope")]), /No folder/);
    await assert.rejects(addFolders(directory, [join(folder.path, "cooking/bread.md")]), /is a file, not a folder/);
  });
});

test("folders do not nest: a subfolder updates its part, a parent folder takes the indexed ones in", async () => {
  await withIndex(async ({ folder, directory }) => {
    const cooking = join(folder.path, "cooking");
    const [first] = await addFolders(directory, [cooking]);
    assert.equal(first?.added, 2);
    const [parent] = await addFolders(directory, [folder.path]);
    assert.deepEqual(parent?.absorbed, [cooking]);
    assert.deepEqual([parent?.added, parent?.unchanged], [3, 2]);
    const [child] = await addFolders(directory, [cooking]);
    assert.equal(child?.partOf, folder.path);
    assert.deepEqual(
      (await listFolders(directory)).map((entry) => entry.path),
      [folder.path],
    );
  });
});

test("a reader searching while a writer updates always sees a whole index", async () => {
  const files: Record<string, string> = {};
  for (let index = 0; index < 400; index++)
    files[`doc-${index}.md`] = `# Document ${index}\n\nshared words about lighthouses and number ${index} ${"filler text ".repeat(40)}`;
  await withIndex(async ({ folder, directory }) => {
    await addFolders(directory, [folder.path]);
    for (let index = 400; index < 800; index++)
      folder.write(`doc-${index}.md`, `# Document ${index}\n\nshared words about lighthouses and number ${index}`);
    let writing = true;
    const writer = updateFolders(directory).finally(() => (writing = false));
    const seenCounts = new Set<number>();
    while (writing) {
      const state = await loadIndex(directory);
      seenCounts.add(state.search.documentCount);
      assert.equal(state.search.documentCount, Object.keys(state.files).length);
      await searchIndexState(directory, state, "lighthouses", 3);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await writer;
    assert.ok(
      [...seenCounts].every((count) => count === 400 || count === 800),
      `counts seen: ${[...seenCounts].join(", ")}`,
    );
    assert.equal((await loadIndex(directory)).search.documentCount, 800);
  }, files);
});

test("one writer at a time; a lock left by a dead process is taken over", async () => {
  await withIndex(async ({ folder, directory }) => {
    const outcomes = await Promise.allSettled([addFolders(directory, [folder.path]), updateFolders(directory)]);
    const rejected = outcomes.filter((outcome) => outcome.status === "rejected");
    assert.equal(rejected.length, 1);
    assert.ok(rejected[0]?.status === "rejected" && rejected[0].reason instanceof IndexBusyError);
    assert.match(String((rejected[0] as PromiseRejectedResult).reason.message), /Another process is updating/);

    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(
      join(directory, "update.lock"),
      JSON.stringify({ pid: dead, host: (await import("node:os")).hostname(), startedAt: new Date().toISOString() }),
    );
    const [report] = await addFolders(directory, [folder.path]);
    assert.ok(report);
    assert.equal(existsSync(join(directory, "update.lock")), false);
  });
});

test("a cancelled scan leaves the index as it was", async () => {
  await withIndex(async ({ folder, directory }) => {
    await addFolders(directory, [folder.path]);
    const before = readFileSync(join(directory, "index.json"), "utf8");
    folder.write("new.md", "# New\n\nbrand new words");
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(updateFolders(directory, undefined, { signal: controller.signal }), { name: "AbortError" });
    assert.equal(readFileSync(join(directory, "index.json"), "utf8"), before);
    assert.equal(existsSync(join(directory, "update.lock")), false);
  });
});

test("a damaged index file is reported with what to do", async () => {
  await withIndex(async ({ directory }) => {
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, "index.json"), "{ not json");
    await assert.rejects(readIndexState(directory), (error: unknown) => {
      assert.ok(error instanceof PonderError);
      assert.match(error.message, /cannot be read/);
      assert.match(error.hint ?? "", /ponder index add/);
      return true;
    });
    rmSync(join(directory, "index.json"));
  });
});
