/** A worker connection that lives as long as the component using it (opened on mount, closed on unmount). */
import { useEffect, useState } from 'react';

export function useWorker<C extends { close(): void }>(open: () => C): C | undefined {
  const [connection, setConnection] = useState<C | undefined>(undefined);
  useEffect(() => {
    const opened = open();
    // A worker is an external system that exists only while mounted (StrictMode mounts twice in development), so
    // it is opened here, not during render. A connection is callable (comlink's proxy): set through a function.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the connection is the effect's subscription
    setConnection(() => opened);
    return () => {
      opened.close();
      setConnection(undefined);
    };
  }, [open]);
  return connection;
}
