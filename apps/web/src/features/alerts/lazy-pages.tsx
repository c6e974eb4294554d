import { lazy, Suspense } from 'react';
import { LoadingState } from '../../ui/states';

// Charts (recharts) load with the noise page only.
const Noise = lazy(() => import('./NoisePage').then((module) => ({ default: module.NoisePage })));

export function LazyNoisePage() {
  return (
    <Suspense fallback={<LoadingState />}>
      <Noise />
    </Suspense>
  );
}
