#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| oauthdesk_fuzz::mcp_answer(data));
