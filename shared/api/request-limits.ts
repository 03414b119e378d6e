/**
 * The longest text the node side takes in one field of a request (a workload's image, a label,
 * an edge id): inventories are held to it when read, so none opens that could not be compiled.
 */
export const MAX_REQUEST_TEXT = 10_000;
