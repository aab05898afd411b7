package protocoltest

import "testing"

func TestEveryCaseBuildsAService(t *testing.T) {
	files := []string{"input/query.json", "input/ec2.json", "input/json.json", "input/json_1_0.json",
		"input/rest-json.json", "input/rest-xml.json", "output/query.json", "output/ec2.json",
		"output/json.json", "output/json_1_0.json", "output/rest-json.json", "output/rest-xml.json"}
	total := 0
	for _, f := range files {
		for _, s := range Load(t, f) {
			for _, c := range s.Cases {
				svc, op, err := s.Service(c)
				if err != nil {
					t.Errorf("%s: %v", f, err)
					continue
				}
				if op == nil || svc.Metadata.Protocol == "" {
					t.Errorf("%s %s: no operation or protocol", f, c.Name())
				}
				total++
			}
		}
	}
	if total < 675 {
		t.Errorf("built %d cases, want the full suite (675 cases)", total)
	}
}
