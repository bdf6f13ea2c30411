// Open, save and download: the File System Access API where the browser has it (Chromium: the file
// is saved in place, again and again), a file input and a download link elsewhere.

interface FilePickerWindow {
  showOpenFilePicker?: (options: unknown) => Promise<FileSystemFileHandleLike[]>;
  showSaveFilePicker?: (options: unknown) => Promise<FileSystemFileHandleLike>;
}
interface FileSystemFileHandleLike {
  name: string;
  getFile(): Promise<File>;
  createWritable(): Promise<{ write(data: Blob | string): Promise<void>; close(): Promise<void> }>;
}

const TYPES = [
  { description: 'FlowZap Code', accept: { 'text/plain': ['.fz'] } },
  { description: 'ASL definition', accept: { 'application/json': ['.json'], 'text/yaml': ['.yaml', '.yml'] } },
];

export interface OpenedFile {
  name: string;
  text: string;
}

/** The file the user last opened or saved with the File System Access API, saved to in place. */
let handle: FileSystemFileHandleLike | undefined;

export async function openFile(): Promise<OpenedFile | undefined> {
  const w = window as unknown as FilePickerWindow;
  if (w.showOpenFilePicker) {
    try {
      const [picked] = await w.showOpenFilePicker({ types: TYPES, multiple: false });
      if (!picked) return undefined;
      handle = picked;
      const file = await picked.getFile();
      return { name: file.name, text: await file.text() };
    } catch (e) {
      if ((e as Error).name === 'AbortError') return undefined;
      throw e;
    }
  }
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.fz,.json,.yaml,.yml,text/plain';
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!file) return resolve(undefined);
      void file.text().then((text) => resolve({ name: file.name, text }));
    });
    input.click();
  });
}

/** Saves the text: in place when a file was opened or saved through the API, else as a download. */
export async function saveFile(name: string, text: string): Promise<string | undefined> {
  const w = window as unknown as FilePickerWindow;
  if (w.showSaveFilePicker) {
    try {
      handle ??= await w.showSaveFilePicker({ suggestedName: name, types: [TYPES[0]] });
      const writable = await handle.createWritable();
      await writable.write(text);
      await writable.close();
      return handle.name;
    } catch (e) {
      if ((e as Error).name === 'AbortError') return undefined;
      throw e;
    }
  }
  download(new Blob([text], { type: 'text/plain' }), name);
  return name;
}

export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has started from the link; the URL is not needed afterwards.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
