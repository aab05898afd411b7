package endpoints

import "strings"

// ConfigFileValues are the shared config file settings that configure
// endpoint URLs, already read from the active profile by the caller (this
// package does not parse config files).
type ConfigFileValues struct {
	// EndpointURL is the profile's endpoint_url.
	EndpointURL string
	// Services holds the nested blocks of the [services NAME] section the
	// profile's "services" key selects, keyed by snake-case service id
	// (sqs, dynamodb, secrets_manager …), each with its endpoint_url.
	Services map[string]string
	// IgnoreConfiguredEndpointURLs is the profile's raw
	// ignore_configured_endpoint_urls value ("" when absent).
	IgnoreConfiguredEndpointURLs string
}

// EnvVarName returns the AWS_ENDPOINT_URL_<SERVICE> variable for a service
// id (model metadata serviceId): upper-cased, spaces and hyphens turned into
// underscores — AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SECRETS_MANAGER,
// AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2.
func EnvVarName(serviceID string) string {
	return "AWS_ENDPOINT_URL_" + strings.ToUpper(serviceKey(serviceID))
}

// ConfigKey returns the key of a service's block in a [services] section:
// the service id lower-cased with spaces and hyphens turned into underscores
// (secrets_manager, cloudwatch_logs).
func ConfigKey(serviceID string) string { return strings.ToLower(serviceKey(serviceID)) }

func serviceKey(id string) string {
	return strings.NewReplacer(" ", "_", "-", "_").Replace(id)
}

// ConfiguredEndpointURL returns the endpoint URL configured outside the code
// for the service with the given service id, and whether there is one, with
// botocore's (≥ 1.31) precedence:
//
//  1. AWS_ENDPOINT_URL_<SERVICE>
//  2. AWS_ENDPOINT_URL
//  3. the service's endpoint_url in the profile's [services] section
//  4. the profile's endpoint_url
//
// Empty values are skipped. Nothing applies when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS,
// or failing that the profile's ignore_configured_endpoint_urls, is "true"
// (case-insensitive; the variable wins over the file even when it says
// false). An endpoint_url given to the client in code beats all of these and
// is the caller's to check first.
//
// lookup reads the environment with os.LookupEnv's signature, because a set
// but empty AWS_IGNORE_CONFIGURED_ENDPOINT_URLS still overrides the file.
func ConfiguredEndpointURL(serviceID string, lookup func(string) (string, bool), cfg ConfigFileValues) (string, bool) {
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	ignore := cfg.IgnoreConfiguredEndpointURLs
	if v, ok := lookup("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"); ok {
		ignore = v
	}
	if strings.EqualFold(ignore, "true") {
		return "", false
	}
	if v, _ := lookup(EnvVarName(serviceID)); v != "" {
		return v, true
	}
	if v, _ := lookup("AWS_ENDPOINT_URL"); v != "" {
		return v, true
	}
	if v := cfg.Services[ConfigKey(serviceID)]; v != "" {
		return v, true
	}
	if cfg.EndpointURL != "" {
		return cfg.EndpointURL, true
	}
	return "", false
}
