/**
 * How the canvas fits the drawing into view, alike on opening, after Arrange and by the Fit
 * button: some air round the groups, and a lone group never blown up past full size.
 */
export const CANVAS_FIT = { padding: 0.2, maxZoom: 1 } as const;

/** The same fit, gliding there rather than jumping. */
export const CANVAS_FIT_GLIDE = { ...CANVAS_FIT, duration: 250 } as const;
