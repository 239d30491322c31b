#!/bin/sh
# A checkpoint save on a really full file system: run inside a private mount namespace
# (unshare --mount) by test_full_disk.cpp, so the small tmpfs it mounts vanishes with it.
#   full_tmpfs.sh SCOREKIT SPEC WORK
# Trains 20 steps onto a 512 KiB tmpfs, fills the tmpfs, resumes for 20 more steps (its first
# checkpoint must fail), frees the space and resumes again. Leaves, in WORK: before.skc (the
# checkpoint before the disk filled), full.status / full.err / full.ls (the failing run's exit
# status, messages and what it left in its directory), after_full.skc and final.skc.
# Exit 77 when a tmpfs cannot be mounted here.
set -u
cli="$1" spec="$2" work="$3"
mnt="$work/mnt"
mkdir -p "$mnt"
mount -t tmpfs -o size=512k scorekit-full "$mnt" 2> "$work/mount.err" || exit 77
train() { SCOREKIT_THREADS=1 "$cli" train "$@" --out "$mnt"; }
train --spec "$spec" --steps 20 > /dev/null 2>&1 || { echo "first run failed"; exit 1; }
cp "$mnt/checkpoint.skc" "$work/before.skc"
dd if=/dev/zero of="$mnt/filler" bs=4096 > /dev/null 2>&1  # stops at "No space left on device"
echo "free after filling: $(df -k --output=avail "$mnt" | tail -1) KiB"
train --resume "$mnt/checkpoint.skc" --steps 20 > /dev/null 2> "$work/full.err"
echo $? > "$work/full.status"
ls -a "$mnt" > "$work/full.ls"
cp "$mnt/checkpoint.skc" "$work/after_full.skc"
rm "$mnt/filler"
train --resume "$mnt/checkpoint.skc" --steps 20 > /dev/null 2>&1 || { echo "the run after freeing space failed"; exit 1; }
cp "$mnt/checkpoint.skc" "$work/final.skc"
umount "$mnt"
