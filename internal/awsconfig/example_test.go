package awsconfig_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/fakecloud/fakecloud/internal/awsconfig"
)

func Example() {
	dir, _ := os.MkdirTemp("", "awsconfig")
	defer os.RemoveAll(dir)
	cfgPath := filepath.Join(dir, "config")
	os.WriteFile(cfgPath, []byte("[default]\nregion = eu-west-1\n\n[profile dev]\nregion = us-west-2\ns3 =\n  addressing_style = path\n"), 0o600)

	env := awsconfig.MapEnv(map[string]string{"AWS_CONFIG_FILE": cfgPath, "AWS_PROFILE": "dev", "HOME": dir})
	cfg, err := awsconfig.Load(awsconfig.Options{Env: env})
	if err != nil {
		fmt.Println(err)
		return
	}
	region, _ := cfg.Region("")
	s3, _ := cfg.ActiveProfile().Nested("s3")
	fmt.Println(cfg.Profiles(), cfg.ProfileName(), region, s3["addressing_style"])

	_, err = awsconfig.Load(awsconfig.Options{Env: env, Profile: "nope"})
	fmt.Println(err)
	// Output:
	// [default dev] dev us-west-2 path
	// The config profile (nope) could not be found
}
