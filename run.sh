#!/usr/bin/env bash
# Builds DRAW (Release) and starts the worker and the dashboard on embedded defaults:
# SQLite and everything else under ./data. Ctrl-C stops both. A second run reuses the data.
set -euo pipefail
cd "$(dirname "$0")"

data_root=$(realpath -m "${DRAW_DATA_ROOT:-./data}")
web_url=${DRAW_WEB_URL:-http://127.0.0.1:5080}
export Draw__Storage__DataRoot="$data_root"
export Draw__Listener__AeTitle=${DRAW_AE_TITLE:-${Draw__Listener__AeTitle:-DRAW}}
export Draw__Listener__Port=${DRAW_LISTENER_PORT:-${Draw__Listener__Port:-11112}}
export Draw__Worker__HealthPort=${DRAW_HEALTH_PORT:-${Draw__Worker__HealthPort:-5081}}
export Draw__Live__HubUrl="$web_url/hubs/live"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

command -v dotnet >/dev/null || { echo "run.sh: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }
echo "run.sh: building (Release)..."
for project in Draw.Cli Draw.Worker Draw.Web; do
  dotnet build "$project" -c Release -nologo -v q >/dev/null || { dotnet build "$project" -c Release -nologo -v q; exit 1; }
done
bin() { echo "$1/bin/Release/net10.0/$2.dll"; }

mkdir -p "$data_root/datastore"
dotnet "$(bin Draw.Cli draw)" migrate
# The demo datastore: scanned every 15 s, a file counts after 30 s without change.
dotnet "$(bin Draw.Cli draw)" datastores list | grep -q '^demo ' \
  || dotnet "$(bin Draw.Cli draw)" datastores add demo "$data_root/datastore" --interval 15 --quiet 30 >/dev/null
first_login=$(dotnet "$(bin Draw.Cli draw)" users ensure-admin)

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "run.sh: stopping DRAW..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

dotnet "$(bin Draw.Worker Draw.Worker)" & pids+=($!)
dotnet "$(bin Draw.Web Draw.Web)" --urls "$web_url" & pids+=($!)

for _ in $(seq 1 60); do
  curl -fs "$web_url/health" >/dev/null 2>&1 && break
  sleep 1
done
# The demo: a template on the built-in engine and a rule that sends every CT to it (once).
dotnet "$(bin Draw.Cli draw)" demo setup || echo "run.sh: the demo template could not be set up (see above)" >&2

cat <<INFO

  DRAW is running.
  Dashboard:        $web_url
  DICOM listener:   AE ${Draw__Listener__AeTitle} on port ${Draw__Listener__Port}
  Data root:        $data_root  (logs in $data_root/logs)
  Demo datastore:   $data_root/datastore
                    copy a CT series there: within about two minutes an RS_*.dcm appears beside it
INFO
if [ -n "$first_login" ]; then echo "  ${first_login}"; else echo "  Sign in with your existing account ('draw users reset-password admin' if it is lost)."; fi
echo "  Ctrl-C stops both processes."
echo

wait -n "${pids[@]}" || true
echo "run.sh: a DRAW process exited; stopping the other." >&2
