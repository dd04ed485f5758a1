//! Randomness and signatures (server only): the bytes behind every token, nonce and code,
//! and the HMAC that signs private links so that a forged or altered link finds nothing.

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretSlice};
use sha2::Sha256;

/// `N` bytes from the operating system's generator, for tokens, nonces and codes.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::RngCore;
    let mut bytes = [0u8; N];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

/// `N` random bytes written as `2 × N` hex digits.
pub fn random_hex<const N: usize>() -> String {
    hex::encode(random_bytes::<N>())
}

/// The SHA-256 of `text` in hex: what is stored of a token or key, never the thing itself.
pub fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn mac(key: &SecretSlice<u8>, purpose: &str, id: i32, nonce: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.expose_secret()).expect("any key length");
    mac.update(format!("{purpose}:{id}:{nonce}").as_bytes());
    mac
}

/// A signed token `<id>-<128-bit HMAC>` for `purpose`, bound to a row's nonce so that it
/// can be written into any later email and revoked by a new nonce.
pub fn sign(key: &SecretSlice<u8>, purpose: &str, id: i32, nonce: &str) -> String {
    format!("{id}-{}", hex::encode(&mac(key, purpose, id, nonce).finalize().into_bytes()[..16]))
}

/// Whether `token` is the one `sign` gives (constant-time comparison).
pub fn verify(key: &SecretSlice<u8>, purpose: &str, token: &str, id: i32, nonce: &str) -> bool {
    let Some((claimed, signature)) = token.trim().split_once('-') else { return false };
    let Ok(signature) = hex::decode(signature) else { return false };
    claimed == id.to_string()
        && signature.len() == 16
        && mac(key, purpose, id, nonce).verify_truncated_left(&signature).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_only_unaltered_and_for_its_purpose() {
        let key = SecretSlice::from(b"key".to_vec());
        let token = sign(&key, "manage", 7, "nonce");
        assert!(verify(&key, "manage", &token, 7, "nonce"));
        assert!(!verify(&key, "invite", &token, 7, "nonce"));
        assert!(!verify(&key, "manage", &token, 7, "new nonce"));
        assert!(!verify(&key, "manage", &token.replacen('7', "8", 1), 8, "nonce"));
        assert!(!verify(&SecretSlice::from(b"other".to_vec()), "manage", &token, 7, "nonce"));
        assert_eq!(random_hex::<16>().len(), 32);
    }
}
