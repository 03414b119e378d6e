import type { AddressBits, AddressMask } from '../simulator/address-bits';
import type { FlowMatch } from '../simulator/flow-model';
import { addressKey, isExactMask } from '../simulator/table-index';
import { boxOfMatch, type AddressLocator, type PairBox } from './changed-pairs';

/**
 * An AddressLocator over the addresses the changed flows name one by one, numbered as they are
 * first asked for, so a comparison whose changes name only such addresses (a port added to an
 * edge between label groups) need not work out every endpoint. Each of them is an endpoint
 * (matrixEndpoints takes every address a flow names one by one). A prefix holds endpoints
 * this cannot list: once one was asked for, `prefixAsked` says the boxes are not to be used.
 */
export class ChangedAddresses implements AddressLocator {
  /** By number. */
  readonly addresses: AddressBits[] = [];
  prefixAsked = false;
  private readonly byKey = new Map<string, number>();

  exact(key: string): number | undefined {
    return this.byKey.get(key);
  }

  boxOf(match: FlowMatch): PairBox {
    return boxOfMatch(match, (mask) => this.holding(mask));
  }

  private holding(mask: AddressMask): ReadonlySet<number> {
    if (!isExactMask(mask)) {
      this.prefixAsked = true;
      return new Set();
    }
    const address: AddressBits = { family: mask.family, value: mask.value };
    const key = addressKey(address);
    let index = this.byKey.get(key);
    if (index === undefined) {
      this.byKey.set(key, (index = this.addresses.length));
      this.addresses.push(address);
    }
    return new Set([index]);
  }
}
