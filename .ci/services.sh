#!/usr/bin/env bash
# System packages and services the test suite needs. Idempotent: safe to run twice.
set -euo pipefail
echo "services: none needed yet"
