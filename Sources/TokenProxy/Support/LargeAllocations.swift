// SPDX-License-Identifier: Apache-2.0
internal import CAllocator

/// How the process allocates its large buffers (request windows, outbound buffers of slow
/// clients, TLS records): each in a mapping of its own, given back to the system when freed.
///
/// glibc's default raises its mapping threshold every time a mapped block is freed, after which
/// such buffers come from the heap, which a long-running process rarely shrinks: a 10-minute soak
/// with large uploads ended 18 MiB above its baseline, and 0 with a fixed threshold.
public enum LargeAllocations {
    /// Allocations from this size on get their own mapping.
    public static let threshold = 128 * 1024

    /// Call once at start-up, before the loops run.
    public static func returnToTheSystemWhenFreed() {
        _ = tp_allocator_map_from(threshold)
    }
}
