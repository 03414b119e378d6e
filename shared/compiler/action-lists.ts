import { lengthened } from '../arrays';
import type { FlowTexts } from './flow-texts';

/** Fields of a node, stored side by side in one integer array. */
const PARENT = 0;
const CODE = 1;
const LENGTH = 2;
/** The list's first (lowest) code. */
const FIRST = 3;
/** The code of the child the node made last, and that child. */
const LAST_CODE = 4;
const LAST_CHILD = 5;
/** 1 + the number of the list's action text in FlowTexts; 0 until asked for. */
const TEXT = 6;
const FIELDS = 7;

/**
 * The conjunction action lists of one policy table, built as rules come and shared between
 * the matches that serve the same rules (a host's 10,000 flows hold a few thousand distinct
 * lists). A list is a node of a tree whose parent is the list without its last code; node 0
 * is the empty list. Codes (rule × 4 + clause) only grow, and each is added in one pass over
 * one clause's matches, so every match that gains a code while on the same list moves to the
 * same child: the child that list made last, if it was made for this code. No lookup by
 * content is needed, and equal lists are one node. `clear` empties it for the next table, so
 * a compile's hosts reuse one.
 */
export class ActionLists {
  private nodes: Int32Array = new Int32Array(FIELDS * 1024);
  private count = 0;
  /** A list's codes in order, gathered from its node back to the root. */
  private scratch = new Int32Array(64);

  /** `texts` keeps the lists' action text, made on first request. */
  constructor(private readonly texts: FlowTexts) {
    this.clear();
  }

  /** Forgets every list but the empty one. */
  clear(): void {
    this.count = 1;
    this.nodes.fill(0, 0, FIELDS);
    this.nodes[LAST_CODE] = -1;
  }

  /** The list `list` followed by `code`; codes must come in ascending order, each in one pass. */
  append(list: number, code: number): number {
    const at = list * FIELDS;
    if (this.nodes[at + LAST_CODE] === code) return this.nodes[at + LAST_CHILD]!;
    const child = this.count++;
    if (child * FIELDS === this.nodes.length) this.grow();
    const nodes = this.nodes;
    const to = child * FIELDS;
    nodes[to + PARENT] = list;
    nodes[to + CODE] = code;
    nodes[to + LENGTH] = nodes[at + LENGTH]! + 1;
    nodes[to + FIRST] = list === 0 ? code : nodes[at + FIRST]!;
    nodes[to + LAST_CODE] = -1;
    nodes[to + TEXT] = 0;
    nodes[at + LAST_CODE] = code;
    nodes[at + LAST_CHILD] = child;
    return child;
  }

  lengthOf(list: number): number {
    return this.nodes[list * FIELDS + LENGTH]!;
  }

  /** The list's first (lowest) code. */
  firstCode(list: number): number {
    return this.nodes[list * FIELDS + FIRST]!;
  }

  /** The number (FlowTexts.codeList) of the list, numbered once per list, so flows with equal lists share it; `text` prints a code's action. */
  actions(list: number, text: (code: number) => string): number {
    const made = this.nodes[list * FIELDS + TEXT]!;
    if (made > 0) return made - 1;
    const length = this.lengthOf(list);
    if (this.scratch.length < length) this.scratch = new Int32Array(length * 2);
    for (let node = list, i = length - 1; node !== 0; node = this.nodes[node * FIELDS + PARENT]!, i--) this.scratch[i] = this.nodes[node * FIELDS + CODE]!;
    const id = this.texts.codeList(this.scratch, length, text);
    this.nodes[list * FIELDS + TEXT] = id + 1;
    return id;
  }

  private grow(): void {
    this.nodes = lengthened(this.nodes, this.nodes.length * 2, 0);
  }
}
