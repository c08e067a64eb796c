package report

import "testing"

// BenchmarkRender10000Suppliers renders a register of 10,000 suppliers; bytes/op
// allocated and the size of the file are reported per format.
func BenchmarkRender10000Suppliers(b *testing.B) {
	s := bigSnapshot(10000)
	for _, format := range []string{"json", "html", "pdf"} {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			size := 0
			for b.Loop() {
				out, err := Render(s, format)
				if err != nil {
					b.Fatal(err)
				}
				size = len(out)
			}
			b.ReportMetric(float64(size), "file-bytes")
		})
	}
}
