/** Files for `POST /v1/runs`: each file's bytes as base64, read by the browser. */
export async function uploadedFilesOf(files: File[]): Promise<{ name: string; data: string }[]> {
  return Promise.all(files.map(async (file) => ({ name: file.name, data: base64Of(await file.arrayBuffer()) })));
}

function base64Of(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = "";
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
}
