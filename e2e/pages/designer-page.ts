import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Locator, type Page } from '@playwright/test';

/** The designer as a user sees it; every selector of the end-to-end tests lives here. */
export class DesignerPage {
  constructor(readonly page: Page) {}

  byTestId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.byTestId('app-root')).toHaveAttribute('data-app-state', 'ready');
  }

  async chooseSource(sourceId: string): Promise<void> {
    await this.byTestId('source-select').selectOption(sourceId);
  }

  /** An open source's status box; `data-status` loading/loaded/failed, `data-live` live/stale. */
  source(sourceId: string): Locator {
    return this.page.locator(`[data-testid="source-status"][data-source="${sourceId}"]`);
  }

  hostRow(host: string): Locator {
    return this.page.locator(`[data-testid="host-row"][data-host="${host}"]`);
  }

  async openInventoryFile(path: string): Promise<void> {
    await this.byTestId('open-inventory-file').click();
    await this.byTestId('path-input').fill(path);
    await this.byTestId('path-confirm').click();
  }

  /**
   * In the open path dialog, types each path and expects it refused there, with its reason,
   * the path kept as typed and no banner; `after` checks more after each refusal.
   */
  async expectPathsRefused(refused: readonly (readonly [path: string, reason: string])[], after?: (path: string) => Promise<void>): Promise<void> {
    for (const [path, reason] of refused) {
      await this.byTestId('path-input').fill(path);
      await this.byTestId('path-confirm').click();
      await expect(this.byTestId('path-problem')).toContainText(reason);
      await expect(this.byTestId('path-input')).toHaveValue(path);
      await after?.(path);
    }
    await expect(this.byTestId('error-notice')).toHaveCount(0);
  }

  /** Opens the inventory editor; returns the file's text as shown. */
  async editInventory(): Promise<string> {
    await this.byTestId('edit-inventory-file').click();
    await expect(this.byTestId('inventory-text')).toBeVisible();
    return this.byTestId('inventory-text').inputValue();
  }

  workload(name: string): Locator {
    return this.page.locator(`[data-testid="workload-row"][data-name="${name}"]`);
  }

  group(name: string): Locator {
    return this.page.locator(`[data-testid="group-node"][data-group="${name}"]`);
  }

  async addGroup(name: string, selector: string): Promise<void> {
    await this.byTestId('add-group').click();
    await this.byTestId('group-name-input').fill(name);
    await this.byTestId('group-selector-input').fill(selector);
    await this.byTestId('group-save').click();
    await expect(this.group(name)).toBeVisible();
  }

  /** Drags a group node by its header, in many small mouse moves as a hand would. */
  async dragGroup(name: string, dx: number, dy: number): Promise<void> {
    await this.holdGroupMoved(name, dx, dy);
    await this.page.mouse.up();
  }

  /** Presses on a group's header and moves it by `dx`, `dy` as `dragGroup` does, without letting go. */
  async holdGroupMoved(name: string, dx: number, dy: number): Promise<void> {
    const box = await this.group(name).boundingBox();
    if (!box) throw new Error(`group ${name} is not on screen`);
    await this.page.mouse.move(box.x + 40, box.y + 15);
    await this.page.mouse.down();
    for (let i = 1; i <= 20; i++) await this.page.mouse.move(box.x + 40 + (dx * i) / 20, box.y + 15 + (dy * i) / 20);
  }

  /** The canvas's zoom: screen pixels per pixel of the drawing. */
  async canvasZoom(): Promise<number> {
    const transform = await this.page.locator('.react-flow__viewport').evaluate((el) => getComputedStyle(el).transform);
    const scale = /^matrix\(([-\d.e]+),/.exec(transform);
    if (!scale) throw new Error(`the canvas viewport has no scale in its transform: ${transform}`);
    return Number(scale[1]);
  }

  /** Waits until the canvas's view stays put (a fit glides to its place). */
  async settleCanvas(): Promise<void> {
    const viewport = this.page.locator('.react-flow__viewport');
    let last = '';
    await expect
      .poll(async () => {
        const now = await viewport.evaluate((el) => getComputedStyle(el).transform);
        const same = now === last;
        last = now;
        return same;
      })
      .toBe(true);
  }

  /** Fits the whole drawing into the canvas's view, by its button. */
  async fitCanvas(): Promise<void> {
    await this.byTestId('canvas-fit').click();
  }

  /** How many groups the canvas shows, whole or in part. */
  async groupsShownCount(): Promise<number> {
    return (await this.groupsShown()).length;
  }

  /** The groups whose part shown on the canvas lies, in part, under `overlay`. */
  async groupsUnder(overlay: Locator): Promise<string[]> {
    const over = await overlay.boundingBox();
    if (!over) throw new Error('the overlay is not on screen');
    return (await this.groupsShown())
      .filter((g) => g.x < over.x + over.width && over.x < g.x + g.width && g.y < over.y + over.height && over.y < g.y + g.height)
      .map((g) => g.name);
  }

  /** Each group's part inside the canvas's pane (React Flow cuts off the rest), on the screen; groups wholly outside are left out. */
  private async groupsShown(): Promise<{ name: string; x: number; y: number; width: number; height: number }[]> {
    const pane = await this.page.locator('.react-flow').boundingBox();
    if (!pane) throw new Error('the canvas is not on screen');
    const boxes = await this.page.locator('[data-testid="group-node"]').evaluateAll((nodes) =>
      nodes.map((node) => {
        const r = node.getBoundingClientRect();
        return { name: node.getAttribute('data-group') ?? '', left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      }),
    );
    return boxes
      .map((b) => {
        const [left, top] = [Math.max(b.left, pane.x), Math.max(b.top, pane.y)];
        const [right, bottom] = [Math.min(b.right, pane.x + pane.width), Math.min(b.bottom, pane.y + pane.height)];
        return { name: b.name, x: left, y: top, width: right - left, height: bottom - top };
      })
      .filter((g) => g.width > 0 && g.height > 0);
  }

  async groupBox(name: string): Promise<{ x: number; y: number }> {
    const box = await this.group(name).boundingBox();
    if (!box) throw new Error(`group ${name} is not on screen`);
    return { x: Math.round(box.x), y: Math.round(box.y) };
  }

  async memberCount(group: string): Promise<number> {
    return Number(await this.group(group).getByTestId('group-member-count').textContent());
  }

  async addEdge(from: string, to: string, services: string): Promise<void> {
    await this.byTestId('add-edge').click();
    await this.byTestId('edge-from-select').selectOption(from);
    await this.byTestId('edge-to-select').selectOption(to);
    await this.byTestId('edge-services-input').fill(services);
    await this.byTestId('edge-save').click();
  }

  /** Draws an edge by hand: from `from`'s handle, in small mouse moves, onto the group `to`. */
  async drawEdge(from: string, to: string): Promise<void> {
    const start = await this.group(from).locator('.react-flow__handle.source').boundingBox();
    const end = await this.group(to).boundingBox();
    if (!start || !end) throw new Error(`group ${from} or ${to} is not on screen`);
    const [x0, y0] = [start.x + start.width / 2, start.y + start.height / 2];
    const [x1, y1] = [end.x + end.width / 2, end.y + end.height / 2];
    await this.page.mouse.move(x0, y0);
    await this.page.mouse.down();
    for (let i = 1; i <= 20; i++) await this.page.mouse.move(x0 + ((x1 - x0) * i) / 20, y0 + ((y1 - y0) * i) / 20);
    await this.page.mouse.up();
  }

  /** The groups drawn in the canvas's overview, beside it. */
  overviewGroups(): Locator {
    return this.byTestId('canvas-overview').locator('.react-flow__minimap-node');
  }

  edge(id: string): Locator {
    return this.page.locator(`[data-testid="edge-label"][data-edge="${id}"]`);
  }

  /** The line React Flow draws for an edge, in the canvas's own coordinates. */
  edgeLine(id: string): Locator {
    return this.page.locator(`[data-testid="rf__edge-${id}"] .react-flow__edge-path`);
  }

  /** `count` + 1 points evenly along an edge's drawn line, start to end, on the screen (as boundingBox gives boxes). */
  async edgeLinePoints(id: string, count = 100): Promise<{ x: number; y: number }[]> {
    return this.edgeLine(id).evaluate((line, pieces) => {
      const path = line as SVGPathElement;
      const toScreen = path.getScreenCTM();
      if (!toScreen) throw new Error('the edge line is not drawn');
      const length = path.getTotalLength();
      return Array.from({ length: pieces + 1 }, (_, i) => {
        const p = path.getPointAtLength((length * i) / pieces);
        const screen = new DOMPoint(p.x, p.y).matrixTransform(toScreen);
        return { x: screen.x, y: screen.y };
      });
    }, count);
  }

  async saveAs(path: string): Promise<void> {
    await this.byTestId('policy-save-as').click();
    await this.byTestId('path-input').fill(path);
    await this.byTestId('path-confirm').click();
    await expect(this.byTestId('policy-path')).toContainText(path);
  }

  /** Opens the designer at `url` on a copy of the bundled shop policy in `folder`, which the test may change; returns the copy's path. */
  async openShopCopy(url: string, folder: string): Promise<string> {
    const file = join(folder, 'shop.yaml');
    copyFileSync(fileURLToPath(new URL('../../examples/three-tier-shop/policy.yaml', import.meta.url)), file);
    await this.open(url);
    await this.openFile(file);
    await expect(this.byTestId('policy-path')).toContainText(file);
    return file;
  }

  async openFile(path: string): Promise<void> {
    await this.byTestId('policy-open').click();
    await this.byTestId('path-input').fill(path);
    await this.byTestId('path-confirm').click();
  }

  /** Imports NetworkPolicy YAML (browser mode: paths typed, several separated by commas) as the drawing. */
  async importNetworkPolicy(paths: string): Promise<void> {
    await this.byTestId('network-policy-import').click();
    await this.byTestId('path-input').fill(paths);
    await this.byTestId('path-confirm').click();
  }

  /** Exports the drawing as NetworkPolicy YAML into a folder (browser mode: the path typed). */
  async exportNetworkPolicy(folder: string): Promise<void> {
    await this.byTestId('network-policy-export').click();
    await this.byTestId('path-input').fill(folder);
    await this.byTestId('path-confirm').click();
  }

  async compile(): Promise<number> {
    await this.byTestId('compile-button').click();
    // A compile again after a change shows the last one's count until it ends: wait for the current one.
    await expect(this.byTestId('compile-outdated')).toHaveCount(0);
    await expect(this.byTestId('compile-button')).toBeEnabled();
    await expect(this.byTestId('flow-count-total')).toHaveText(/^[1-9]\d*$/);
    return Number(await this.byTestId('flow-count-total').textContent());
  }

  hostTab(host: string): Locator {
    return this.page.locator(`[data-testid="flow-host-tab"][data-host="${host}"]`);
  }

  async configureHost(host: string, target: { address: string; port: number; user: string; keyPath: string; bridge: string }): Promise<void> {
    const row = this.page.locator(`[data-testid="host-row"][data-host="${host}"]`);
    await row.getByTestId('host-configure').click();
    await this.byTestId('host-address').fill(target.address);
    await this.byTestId('host-port').fill(String(target.port));
    await this.byTestId('host-user').fill(target.user);
    await this.byTestId('host-auth-kind').selectOption('key');
    await this.byTestId('host-key-path').fill(target.keyPath);
    await this.byTestId('host-bridge').fill(target.bridge);
    await this.byTestId('host-save').click();
  }

  deployStatus(host: string): Locator {
    return this.page.locator(`[data-testid="deploy-host-status"][data-host="${host}"]`);
  }

  /** Every host row whose deploy status is `status` (`queued`, `connect`, `cancelled`, …). */
  deployStatusesAt(status: string): Locator {
    return this.page.locator(`[data-testid="deploy-host-status"][data-status="${status}"]`);
  }

  async deploy(): Promise<void> {
    await this.byTestId('deploy-button').click();
    await this.byTestId('deploy-confirm').click();
  }

  /** Closes the deploy question without deploying. */
  async closeDeployDialog(): Promise<void> {
    await this.byTestId('deploy-dismiss').click();
    await expect(this.byTestId('deploy-modal')).toHaveCount(0);
  }

  /** The rows of the selected group's member list in the inspector: workloads, then address blocks. */
  memberRows(): Locator {
    return this.page.locator('.member-list li');
  }

  async rollback(host: string): Promise<void> {
    await this.page.locator(`[data-testid="rollback-button"][data-host="${host}"]`).click();
    await this.byTestId('confirm-accept').click();
  }

  /** Traces a TCP connection on the drawing's tables (`sentBy`: from another workload's switch port); returns the verdict the UI shows. */
  async trace(from: string, to: string, port: number, sentBy = ''): Promise<string> {
    await this.byTestId('trace-tab').click();
    await this.byTestId('trace-from').fill(from);
    await this.byTestId('trace-to').fill(to);
    await this.byTestId('trace-sender').fill(sentBy);
    await this.byTestId('trace-proto').selectOption('tcp');
    await this.byTestId('trace-port').fill(String(port));
    await this.byTestId('trace-run').click();
    const verdict = this.byTestId('trace-verdict');
    await expect(this.page.locator('.trace-result')).toContainText(`${from} (`);
    await expect(this.page.locator('.trace-result')).toContainText(`tcp/${port}`);
    return (await verdict.getAttribute('data-verdict')) ?? '';
  }

  /** Fills the Trace form for an ICMP message (`''`: the field left empty) and runs it; the answer or error is the caller's to read. */
  async askIcmpTrace(from: string, to: string, icmpType: string, icmpCode: string): Promise<void> {
    await this.byTestId('trace-tab').click();
    await this.byTestId('trace-from').fill(from);
    await this.byTestId('trace-to').fill(to);
    await this.byTestId('trace-sender').fill('');
    await this.byTestId('trace-proto').selectOption('icmp');
    await this.byTestId('trace-icmp-type').fill(icmpType);
    await this.byTestId('trace-icmp-code').fill(icmpCode);
    await this.byTestId('trace-run').click();
  }

  /** Asks the real switch about the last trace; returns what it says and whether it agrees. */
  async askSwitch(host: string): Promise<{ says: string; agrees: boolean }> {
    await this.byTestId('trace-switch').click();
    const result = this.page.locator(`[data-testid="trace-switch-result"][data-host="${host}"]`);
    await expect(result).toBeVisible();
    const text = (await result.textContent()) ?? '';
    return { says: /says (\w+)/.exec(text)?.[1] ?? '', agrees: (await result.getAttribute('data-agrees')) === 'true' };
  }

  /** Renames a group in the inspector. */
  async renameGroup(name: string, to: string): Promise<void> {
    await this.group(name).click();
    await this.byTestId('group-name-input').fill(to);
    await this.byTestId('group-save').click();
    await expect(this.group(to)).toBeVisible();
  }

  /** Changes an edge's services in the inspector. */
  async editEdgeServices(id: string, services: string): Promise<void> {
    // The label may sit under a group node in the automatic layout; a click event still selects it.
    await this.edge(id).dispatchEvent('click');
    await expect(this.byTestId('inspector')).toContainText(id);
    await this.byTestId('edge-services-input').fill(services);
    await this.byTestId('edge-save').click();
  }

  /** Computes the reachability matrix of the drawing. */
  async computeMatrix(): Promise<void> {
    await this.byTestId('matrix-tab').click();
    await this.byTestId('matrix-compute').click();
    await expect(this.byTestId('matrix-stats')).toBeVisible();
  }

  /** The heat map's cells, as `from→to`, in drawing order. */
  async matrixCells(): Promise<string[]> {
    const cells = this.page.locator('[data-testid="matrix-heat-map"] rect[data-from]');
    return Promise.all((await cells.all()).map(async (c) => `${await c.getAttribute('data-from')}→${await c.getAttribute('data-to')}`));
  }

  /** What one matrix cell says every member pair may open (`tcp/8080`, `any`, `nothing`). */
  async matrixCell(from: string, to: string): Promise<string> {
    await this.page.locator(`[data-testid="matrix-heat-map"] rect[data-from="${from}"][data-to="${to}"]`).click();
    await expect(this.page.locator(`[data-testid="matrix-cell"] [data-from="${from}"][data-to="${to}"]`)).toBeVisible();
    return ((await this.byTestId('matrix-cell-always').textContent()) ?? '').trim();
  }

  /** The shown matrix cell's facts, as `label: value` (`Address pairs: 8`). */
  async matrixCellFacts(): Promise<string[]> {
    return this.page.locator('[data-testid="matrix-cell"] dl.matrix-facts').evaluate((list) => Array.from(list.querySelectorAll('dt'), (dt) => `${dt.textContent ?? ''}: ${dt.nextElementSibling?.textContent ?? ''}`));
  }

  /**
   * Where the shown matrix cell's explanation ends against what the user can see of it: its
   * box and content (`scrollWidth`, the right edge of its furthest descendant) and the right
   * edges of its output pane's visible area (without its scroll bar) and of the window.
   */
  async matrixExplanationFit(): Promise<ExplanationFit> {
    return this.byTestId('matrix-cell').evaluate((explain) => {
      const pane = explain.closest('.output-pane')!;
      const rightOf = (e: Element): number => e.getBoundingClientRect().right;
      return {
        scrollWidth: explain.scrollWidth,
        clientWidth: explain.clientWidth,
        right: rightOf(explain),
        contentRight: Math.max(...Array.from(explain.querySelectorAll('*'), rightOf)),
        paneRight: pane.getBoundingClientRect().left + pane.clientLeft + pane.clientWidth,
        windowWidth: window.innerWidth,
      };
    });
  }

  /** Compares the drawing with what the hosts run; returns `from→to +permitted -blocked` per entry. */
  async impactAgainstDeployed(): Promise<string[]> {
    await this.byTestId('impact-tab').click();
    await this.byTestId('impact-deployed').click();
    return this.impactEntries();
  }

  /** Compares the drawing with a saved version of the policy (browser mode: the path typed); returns the entries as impactAgainstDeployed does. */
  async impactAgainstFile(path: string): Promise<string[]> {
    await this.byTestId('impact-tab').click();
    await this.byTestId('impact-file').click();
    await this.byTestId('path-input').fill(path);
    await this.byTestId('path-confirm').click();
    await expect(this.byTestId('impact-baseline')).toContainText(path);
    return this.impactEntries();
  }

  private async impactEntries(): Promise<string[]> {
    await expect(this.byTestId('impact-result')).toBeVisible();
    const entries = this.byTestId('impact-entry');
    const out: string[] = [];
    for (const entry of await entries.all()) {
      const permitted = (await entry.getByTestId('impact-permitted').count()) > 0 ? ((await entry.getByTestId('impact-permitted').locator('.mono').textContent()) ?? '') : '';
      const blocked = (await entry.getByTestId('impact-blocked').count()) > 0 ? ((await entry.getByTestId('impact-blocked').locator('.mono').textContent()) ?? '') : '';
      out.push(`${await entry.getAttribute('data-from')}→${await entry.getAttribute('data-to')} +${permitted} -${blocked}`);
    }
    return out;
  }

  /** Replays a connection log against the drawing (browser mode: the path typed); returns its summary once shown. */
  async replayLog(path: string): Promise<string> {
    await this.byTestId('replay-tab').click();
    await this.byTestId('replay-choose').click();
    await this.byTestId('path-input').fill(path);
    await this.byTestId('path-confirm').click();
    // A second replay shows the first one's summary until it ends: wait for this log's.
    await expect(this.byTestId('replay-summary')).toContainText(`${path}:`);
    await expect(this.byTestId('replay-choose')).toBeEnabled();
    return (await this.byTestId('replay-summary').textContent()) ?? '';
  }

  /** A replayed kind of connection that would not go through, by group names. */
  replayEntry(from: string, to: string): Locator {
    return this.page.locator(`[data-testid="replay-entry"][data-from="${from}"][data-to="${to}"]`);
  }

  /** Opens a bundled example, its policy and its inventory, as the inventory panel offers it. */
  async openExample(name: string): Promise<void> {
    await this.page.locator(`[data-testid="open-example"][data-example="${name}"]`).first().click();
    await expect(this.byTestId('policy-path')).toContainText(`${name}/policy.yaml`);
  }

  /** Switches the middle of the window to the policy's YAML, once its editor has loaded and holds the drawing's text. */
  async showPolicyText(): Promise<void> {
    await this.byTestId('view-yaml').click();
    await expect(this.policyTextEditor().locator('.view-line').first()).toBeVisible();
    await expect(this.byTestId('policy-text-printing')).toHaveCount(0);
  }

  async showCanvas(): Promise<void> {
    await this.byTestId('view-canvas').click();
    await expect(this.page.locator('.react-flow__pane')).toBeVisible();
  }

  policyTextEditor(): Locator {
    return this.byTestId('policy-text-editor');
  }

  /** A line of the YAML editor as drawn (only lines in view are in the page). */
  policyTextLine(containing: string): Locator {
    return this.policyTextEditor().locator('.view-line').filter({ hasText: containing });
  }

  /**
   * Types `text` over the first `found` of the YAML from the top, found with the editor's Find
   * (Ctrl+F), as a user would: a line out of view is not in the page to click.
   */
  async retypePolicyText(found: string, text: string): Promise<void> {
    await this.policyTextEditor().locator('.view-lines').click();
    await this.page.keyboard.press('Control+Home');
    await this.page.keyboard.press('Control+f');
    await expect(this.policyTextEditor().locator('.find-widget.visible')).toBeVisible();
    await this.page.keyboard.insertText(found);
    await expect(this.policyTextEditor().locator('.find-widget .matchesCount')).not.toHaveText(/No results/);
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.insertText(text);
  }

  /** Puts the YAML editor's cursor at the end of the text, scrolling it into view. */
  async revealPolicyTextEnd(): Promise<void> {
    await this.policyTextEditor().locator('.view-lines').click();
    await this.page.keyboard.press('Control+End');
  }

  /** Adds text at the end of the YAML, as one paste would (no auto-indent on the way). */
  async appendPolicyText(text: string): Promise<void> {
    await this.revealPolicyTextEnd();
    await this.page.keyboard.insertText(text);
  }

  /** True when the keyboard focus is on `locator` or inside it. */
  async holdsFocus(locator: Locator): Promise<boolean> {
    return locator.evaluate((element) => element.contains(document.activeElement));
  }

  /** An entry of the YAML view's problem list, by diagnostic code. */
  policyTextProblem(code: string): Locator {
    return this.page.locator(`[data-testid="policy-text-problem"][data-code="${code}"]`);
  }

  /** The vertical middle of the first error squiggle of the YAML editor, to compare with a line's. */
  async errorMarkerY(): Promise<number> {
    const box = await this.policyTextEditor().locator('.squiggly-error').first().boundingBox();
    if (!box) throw new Error('no error marker in the YAML editor');
    return box.y + box.height / 2;
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `e2e/artifacts/${name}.png`, fullPage: true });
  }
}

export interface ExplanationFit {
  scrollWidth: number;
  clientWidth: number;
  right: number;
  contentRight: number;
  paneRight: number;
  windowWidth: number;
}
