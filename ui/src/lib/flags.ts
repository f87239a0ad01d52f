// The server's feature flags for the signed-in account (GET /api/flags, issue 16): a feature
// the service turns off is hidden. Signed out, or while the server cannot be asked, everything
// shows: the flags gate the service's features, never local ones.
import { useQuery } from "@tanstack/react-query";
import { api } from "../api";

/** How long the app keeps the flags before asking again (the server's own cache is 10 min). */
const FLAGS_STALE_MS = 10 * 60 * 1000;

export function useFlags(): (key: string) => boolean {
  const sync = useQuery({ queryKey: ["sync-status"], queryFn: api.syncStatus });
  const signedIn = sync.data?.signed_in === true;
  const flags = useQuery({
    queryKey: ["account-flags", sync.data?.server, sync.data?.email],
    queryFn: api.accountFlags,
    enabled: signedIn,
    staleTime: FLAGS_STALE_MS,
  });
  return (key) => flags.data?.flags[key] !== false;
}
