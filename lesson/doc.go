// Package lesson holds what the guided tour's teaching scenes compute: the
// one-request run of the prompt scene, the KV-cache budget of the memory
// scene and the fixed workload of the contention scene. It is pure (no
// Ebitengine), so its numbers are tested headless and shared by every view.
package lesson
