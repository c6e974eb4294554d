import { useSearchParams } from 'react-router';

/**
 * Filters kept in the URL, so a view can be shared and survives a reload: the current
 * params and a setter that sets one (or removes it when empty) and keeps the others.
 */
export function useUrlParams(options: { replace?: boolean } = {}) {
  const [params, setParams] = useSearchParams();
  const setParam = (name: string, value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: options.replace ?? false },
    );
  return [params, setParam] as const;
}
