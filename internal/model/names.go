package model

import "strings"

// XFormName converts a model name to boto3's snake_case form exactly as
// botocore.xform_name(name) does: "ListObjectsV2" -> "list_objects_v2",
// "DescribeDBInstances" -> "describe_db_instances", "ListWebACLs" ->
// "list_web_acls". A name that already contains "_" is returned unchanged
// (botocore assumes it is transformed already).
func XFormName(name string) string { return XFormNameSep(name, "_") }

// XFormNameSep is botocore.xform_name(name, sep); the AWS CLI uses sep "-".
func XFormNameSep(name, sep string) string {
	if sep == "" {
		return name
	}
	if strings.Contains(name, sep) {
		return name
	}
	if v, ok := xformSpecial[name]; ok {
		return strings.ReplaceAll(v, "_", sep)
	}
	rs := []rune(name)
	// _special_case_transform = '[A-Z]{2,}s$': a pluralised acronym at the
	// end becomes its own lower-case word ("GatewayARNs" -> "Gateway_arns").
	if n := len(rs); n >= 3 && rs[n-1] == 's' {
		k := 0
		for k < n-1 && isUpperASCII(rs[n-2-k]) {
			k++
		}
		if k >= 2 {
			head := string(rs[:n-1-k])
			rs = []rune(head + sep + strings.ToLower(string(rs[n-1-k:])))
		}
	}
	sepR := []rune(sep)
	// _first_cap_regex.sub('(.)([A-Z][a-z]+)', r'\1_\2')
	var s1 []rune
	for i := 0; i < len(rs); {
		if rs[i] != '\n' && i+2 < len(rs) && isUpperASCII(rs[i+1]) && isLowerASCII(rs[i+2]) {
			j := i + 3
			for j < len(rs) && isLowerASCII(rs[j]) {
				j++
			}
			s1 = append(s1, rs[i])
			s1 = append(s1, sepR...)
			s1 = append(s1, rs[i+1:j]...)
			i = j
			continue
		}
		s1 = append(s1, rs[i])
		i++
	}
	// _end_cap_regex.sub('([a-z0-9])([A-Z])', r'\1_\2')
	var s2 []rune
	for i := 0; i < len(s1); {
		if i+1 < len(s1) && (isLowerASCII(s1[i]) || ('0' <= s1[i] && s1[i] <= '9')) && isUpperASCII(s1[i+1]) {
			s2 = append(s2, s1[i])
			s2 = append(s2, sepR...)
			s2 = append(s2, s1[i+1])
			i += 2
			continue
		}
		s2 = append(s2, s1[i])
		i++
	}
	return strings.ToLower(string(s2))
}

func isUpperASCII(r rune) bool { return 'A' <= r && r <= 'Z' }
func isLowerASCII(r rune) bool { return 'a' <= r && r <= 'z' }

// xformSpecial is botocore's pre-populated _xform_cache (botocore 1.43): names
// whose regular transformation would split a brand or acronym wrongly.
// botocore has no partial-renames table any more (older versions rewrote
// "ipv_6" to "ipv6"; today "Ipv6CidrBlock" simply becomes "ipv6_cidr_block").
var xformSpecial = map[string]string{
	"CreateCachediSCSIVolume":                     "create_cached_iscsi_volume",
	"DescribeCachediSCSIVolumes":                  "describe_cached_iscsi_volumes",
	"DescribeStorediSCSIVolumes":                  "describe_stored_iscsi_volumes",
	"CreateStorediSCSIVolume":                     "create_stored_iscsi_volume",
	"ListHITsForQualificationType":                "list_hits_for_qualification_type",
	"ExecutePartiQLStatement":                     "execute_partiql_statement",
	"ExecutePartiQLTransaction":                   "execute_partiql_transaction",
	"ExecutePartiQLBatch":                         "execute_partiql_batch",
	"AssociateWhatsAppBusinessAccount":            "associate_whatsapp_business_account",
	"CreateWhatsAppMessageTemplate":               "create_whatsapp_message_template",
	"CreateWhatsAppMessageTemplateFromLibrary":    "create_whatsapp_message_template_from_library",
	"CreateWhatsAppMessageTemplateMedia":          "create_whatsapp_message_template_media",
	"DeleteWhatsAppMessageMedia":                  "delete_whatsapp_message_media",
	"DeleteWhatsAppMessageTemplate":               "delete_whatsapp_message_template",
	"DisassociateWhatsAppBusinessAccount":         "disassociate_whatsapp_business_account",
	"GetLinkedWhatsAppBusinessAccount":            "get_linked_whatsapp_business_account",
	"GetLinkedWhatsAppBusinessAccountPhoneNumber": "get_linked_whatsapp_business_account_phone_number",
	"GetOTelEnrichment":                           "get_otel_enrichment",
	"GetWhatsAppMessageMedia":                     "get_whatsapp_message_media",
	"GetWhatsAppMessageTemplate":                  "get_whatsapp_message_template",
	"ListLinkedWhatsAppBusinessAccounts":          "list_linked_whatsapp_business_accounts",
	"ListWhatsAppMessageTemplates":                "list_whatsapp_message_templates",
	"ListWhatsAppTemplateLibrary":                 "list_whatsapp_template_library",
	"PostWhatsAppMessageMedia":                    "post_whatsapp_message_media",
	"PutWhatsAppBusinessAccountEventDestinations": "put_whatsapp_business_account_event_destinations",
	"SendWhatsAppMessage":                         "send_whatsapp_message",
	"StartOTelEnrichment":                         "start_otel_enrichment",
	"StopOTelEnrichment":                          "stop_otel_enrichment",
	"UpdateWhatsAppMessageTemplate":               "update_whatsapp_message_template",
}
