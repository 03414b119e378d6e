import { create } from 'zustand';
import type { PickedCell } from '../components/analysis/heat-map-keys';

/**
 * How the Matrix tab shows its map: names filtered, groups or workloads, the cell explained. The
 * tab's panel goes when another tab opens (a cell's "Trace …" link opens Trace), and this brings
 * the view back with it.
 */
interface MatrixViewState {
  filter: string;
  level: 'groups' | 'workloads';
  picked: PickedCell | null;
  setFilter: (filter: string) => void;
  setLevel: (level: 'groups' | 'workloads') => void;
  setPicked: (picked: PickedCell | null) => void;
}

export const useMatrixViewStore = create<MatrixViewState>()((set) => ({
  filter: '',
  level: 'groups',
  picked: null,
  setFilter: (filter) => set({ filter }),
  setLevel: (level) => set({ level }),
  setPicked: (picked) => set({ picked }),
}));
