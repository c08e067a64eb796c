package scoring

import (
	"reflect"
	"testing"
)

func TestAllocate(t *testing.T) {
	cases := []struct {
		name  string
		total int64
		exact []float64
		want  []int64
	}{
		{"nothing", 0, nil, []int64{}},
		{"exact integers", 10, []float64{3, 7}, []int64{3, 7}},
		{"thirds", 10000, []float64{3333.33, 3333.33, 3333.34}, []int64{3333, 3333, 3334}},
		{"largest remainder wins", 6429, []float64{2142.857, 714.286, 1071.429, 0, 1071.429, 1428.571}, []int64{2143, 714, 1072, 0, 1071, 1429}},
		{"zero parts never receive a stray unit", 1, []float64{0, 0.6, 0, 0.4}, []int64{0, 1, 0, 0}},
		{"negative parts", -150, []float64{-100.4, -49.6}, []int64{-100, -50}},
		{"total below the floors: the later tie gives way", 5, []float64{3.5, 3.5}, []int64{3, 2}},
		{"inconsistent total spread evenly", 10, []float64{1, 1}, []int64{5, 5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := allocate(c.total, c.exact)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("allocate(%d, %v) = %v, want %v", c.total, c.exact, got, c.want)
			}
		})
	}
}

func TestFormatting(t *testing.T) {
	cases := []struct{ got, want string }{
		{fmtH(5429), "54.29"}, {fmtH(4000), "40"}, {fmtH(1250), "12.5"}, {fmtH(-1000), "-10"},
		{FormatCount(1350000), "1,350,000"}, {FormatCount(999), "999"}, {FormatCount(0), "0"}, {FormatCount(-1234), "-1,234"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
