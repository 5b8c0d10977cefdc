/**
 * Dirty-page trackers behind one interface, {@link io.shadowvm.sync.dirty.DirtyTracker}: a page-hash scan
 * (any region, including a running QEMU guest's RAM file), write tracking for regions written through
 * ShadowVM's API, and Linux soft-dirty bits for a process mapping. A tracker only proposes candidates; the
 * source confirms each by hashing it, so a tracker may over-report but must never miss a changed page.
 */
package io.shadowvm.sync.dirty;
