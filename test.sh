#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what the tests need, then builds and tests the whole solution.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: installing the .NET 10 SDK" >&2
  if command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq dotnet-sdk-10.0
  else
    echo "test.sh: install the .NET 10 SDK (https://dot.net) and run again" >&2
    exit 1
  fi
fi

# The browser tests drive Debian's chromium, headless, through Playwright's driver (which comes in its NuGet package);
# Playwright never downloads a browser of its own. Without chromium they fail, naming it.
if [ -z "${CLEARANCE_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  scripts/apt-install.sh "test.sh (browser tests)" chromium
fi

# The embedded Han reading table is checked against the Unihan files it was generated from, which Debian's unicode-data
# ships; without them that one test is skipped, saying why.
if [ ! -e /usr/share/unicode/Unihan_Readings.txt.bz2 ] && [ ! -e /usr/share/unicode/Unihan_Readings.txt ]; then
  scripts/apt-install.sh "test.sh (Han reading table)" unicode-data
fi

# The publish test builds the native CLI as scripts/publish.sh does (Native AOT): it links with clang (or a versioned
# clang-N, which Debian may install without the plain name) against zlib.
if ! command -v clang >/dev/null 2>&1 && ! compgen -c clang- | grep -qE '^clang-[0-9]+$'; then
  scripts/apt-install.sh "test.sh (native publish)" clang
fi
if [ ! -e /usr/include/zlib.h ]; then
  scripts/apt-install.sh "test.sh (native publish)" zlib1g-dev
fi

if [ ! -d ../shared/lists ]; then
  echo "test.sh: note: ../shared/lists is missing; tests that read the government list files will fail" >&2
fi

dotnet build Clearance.slnx -c Release -nologo -v q
echo "test.sh: the browser tests save a screenshot of each page in tests/Clearance.Browser.Tests/bin/Release/net10.0/TestResults/screenshots" >&2
# The store's tests run on SQLite and on a real PostgreSQL server: a throwaway one (installed when missing), started on a
# free localhost port for the test run and removed afterwards. CLEARANCE_TEST_SKIP_POSTGRES=1 runs the SQLite cases only.
# The tests of scripts/publish.sh (category Publish: the native publish, ~8 minutes on loaded cores, whose executable the
# tests then run, and the composite ReadyToRun publish, crossgen2 of the whole framework, over ten minutes) are left out
# of the solution's run and run once afterwards, alone, so that they neither slow the other suites nor are slowed by
# them; a failure of either run fails test.sh.
# The content snapshot (ContentSnapshot) of every `clearance` the tests run goes to a directory of this run, removed
# afterwards, not to the user's ~/.cache: the first run writes it, the rest read it back.
if [ -z "${CLEARANCE_CACHE+set}" ]; then
  CLEARANCE_CACHE="$(mktemp -d "${TMPDIR:-/tmp}/clearance-test-cache.XXXXXX")"
  export CLEARANCE_CACHE
  trap 'rm -rf "$CLEARANCE_CACHE"' EXIT
fi
status=0
if [ "${CLEARANCE_TEST_SKIP_POSTGRES:-}" = 1 ]; then
  dotnet test Clearance.slnx -c Release --no-build -nologo -v q --logger "console;verbosity=minimal" --filter "Category!=Publish" || status=$?
else
  scripts/test-postgres.sh dotnet test Clearance.slnx -c Release --no-build -nologo -v q --logger "console;verbosity=minimal" --filter "Category!=Publish" || status=$?
fi
dotnet test tests/Clearance.Cli.Tests -c Release --no-build -nologo -v q --logger "console;verbosity=minimal" --filter "Category=Publish" || status=$?
exit "$status"
