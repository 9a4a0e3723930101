#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| oauthdesk_fuzz::www_authenticate(data));
