//go:build race

package api_test

// raceDetector says the race detector instruments this test binary.
const raceDetector = true
