// Saves a picture the way a browser saves a link: works in both doors, as Electron shows its
// save dialog for a download. Data URLs only, as the Content-Security-Policy allows no blobs for images.

export function downloadSvg(svg: string, fileName: string): void {
  save(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, fileName);
}

/** Draws the SVG on a canvas at twice its size, for a sharp PNG. */
export async function downloadPng(svg: string, fileName: string): Promise<void> {
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth * 2;
  canvas.height = image.naturalHeight * 2;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw on a canvas, so no PNG can be made; export SVG instead.');
  context.scale(2, 2);
  context.drawImage(image, 0, 0);
  save(canvas.toDataURL('image/png'), fileName);
}

/** Saves a picture given as a data URL (a canvas's `toDataURL`). */
export function save(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
}
