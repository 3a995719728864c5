// SPDX-License-Identifier: Apache-2.0
internal import CAllocator

/// glibc's allocation thresholds, fixed at start-up so that RSS comes back down after bursts of
/// large uploads and slow readers without costing the hot path system calls.
///
/// Left to itself, glibc raises its mapping threshold each time a mapped block is freed, after
/// which large buffers come from the middle of a heap that rarely shrinks: a 10-minute soak with
/// large uploads ended 18 MiB above its baseline. Fixing only that threshold (at 128 KiB) returned
/// the memory but made each 64 KiB response's outbound buffer a mapping of its own, and fixes the
/// trim threshold at 128 KiB too, so that freeing a loop's buffers gave pages back (`madvise`) on
/// every request. With the values here a 64 KiB response costs no allocator system call, and
/// buffers of slow readers and uploads (256 KiB and more) are returned when freed.
public enum AllocatorThresholds {
    /// Allocations from this size on get mappings of their own.
    public static let mapFrom = 256 * 1024
    /// Free space a heap keeps at its top before giving pages back.
    public static let keepFree = 1024 * 1024

    /// Call once at start-up, before the loops run.
    public static func fix() {
        _ = tp_allocator_fix_thresholds(mapFrom, keepFree)
    }
}
