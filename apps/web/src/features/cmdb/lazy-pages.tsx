import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { LoadingState } from '../../ui/states';
import { graphQuery } from './cmdb-queries';

// The map pulls in cytoscape (~0.5 MB): loaded when the map is opened, not with the app.
const ServiceMap = lazy(() => import('./map/ServiceMapPage').then((module) => ({ default: module.ServiceMapPage })));

// The import page carries the CSV and YAML parsers; only operators who import need them.
const Import = lazy(() => import('./ImportPage').then((module) => ({ default: module.ImportPage })));

export function LazyImportPage() {
  return (
    <Suspense fallback={<LoadingState />}>
      <Import />
    </Suspense>
  );
}

export function LazyServiceMapPage() {
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const focus = params.get('focus');
  const depth = Number(params.get('depth') ?? '2');
  // Fetch the graph while the map's code downloads, not after: the two overlap instead of queueing.
  useEffect(() => void queryClient.prefetchQuery(graphQuery(focus, depth)), [queryClient, focus, depth]);
  return (
    <Suspense fallback={<LoadingState label="Loading the map…" />}>
      <ServiceMap />
    </Suspense>
  );
}
