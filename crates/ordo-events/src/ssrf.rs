//! Which addresses a webhook may reach: not this machine, its networks or a cloud's metadata
//! service (SSRF), unless the server allows private receivers. Checked when connecting —
//! a resolver that drops refused addresses, and the same check of hosts written as IP
//! addresses, which no resolver sees — and at registration, to refuse early.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Why a webhook may not reach `ip`, if it may not.
pub fn refused(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => refused_v4(v4),
        IpAddr::V6(v6) => refused_v6(v6),
    }
}

fn refused_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = ip.octets();
    Some(match () {
        () if ip.is_unspecified() || a == 0 => "an unspecified address",
        () if ip.is_loopback() => "a loopback address",
        () if ip.is_private() => "a private address",
        // 169.254.169.254, the metadata service of most clouds, among them.
        () if ip.is_link_local() => "a link-local address",
        // Carrier-grade NAT; 100.100.100.200 is a cloud's metadata service.
        () if a == 100 && (64..128).contains(&b) => "a shared (CGNAT) address",
        () if a == 192 && b == 0 && ip.octets()[2] == 0 => "an IETF protocol address",
        () if ip.is_multicast() => "a multicast address",
        () if ip.is_broadcast() || a >= 240 => "a reserved address",
        () if a == 198 && (b == 18 || b == 19) => "a benchmarking address",
        () => return None,
    })
}

fn refused_v6(ip: Ipv6Addr) -> Option<&'static str> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return refused_v4(v4);
    }
    let seg = ip.segments();
    // NAT64 (64:ff9b::/96) reaches the IPv4 address it embeds.
    if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let o = ip.octets();
        return refused_v4(Ipv4Addr::new(o[12], o[13], o[14], o[15]));
    }
    Some(match () {
        () if ip.is_unspecified() => "an unspecified address",
        () if ip.is_loopback() => "a loopback address",
        // fc00::/7; fd00:ec2::254 is a cloud's metadata service.
        () if seg[0] & 0xfe00 == 0xfc00 => "a unique local address",
        () if seg[0] & 0xffc0 == 0xfe80 => "a link-local address",
        () if seg[0] & 0xffc0 == 0xfec0 => "a site-local address",
        () if ip.is_multicast() => "a multicast address",
        // IPv4-compatible (deprecated) addresses embed an IPv4 address too.
        () if seg[..6] == [0; 6] => "an IPv4-compatible address",
        () => return None,
    })
}

/// Checks what can be checked of a URL without resolving it: the scheme (`https`, or `http`
/// too when private receivers are allowed) and a host given as an IP address.
pub fn check_url(url: &str, allow_private: bool) -> Result<Url, String> {
    let parsed = Url::parse(url).map_err(|e| format!("is not a URL: {e}"))?;
    match parsed.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => return Err("must be an https:// URL".to_owned()),
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("must not carry credentials".to_owned());
    }
    match parsed.host() {
        None => return Err("has no host".to_owned()),
        Some(url::Host::Ipv4(ip)) if !allow_private => {
            if let Some(why) = refused(IpAddr::V4(ip)) {
                return Err(format!("names {why}, which webhooks may not reach"));
            }
        }
        Some(url::Host::Ipv6(ip)) if !allow_private => {
            if let Some(why) = refused(IpAddr::V6(ip)) {
                return Err(format!("names {why}, which webhooks may not reach"));
            }
        }
        Some(_) => {}
    }
    Ok(parsed)
}

/// `check_url`, then the host's addresses as they resolve now: registration refuses a URL
/// whose every address is refused, or that does not resolve.
pub async fn check_registration(url: &str, allow_private: bool) -> Result<Url, String> {
    let parsed = check_url(url, allow_private)?;
    if allow_private {
        return Ok(parsed);
    }
    if let Some(url::Host::Domain(host)) = parsed.host() {
        let resolved = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            tokio::net::lookup_host((host, 443)),
        )
        .await
        .map_err(|_| format!("host {host:?} did not resolve in time"))?
        .map_err(|e| format!("host {host:?} does not resolve: {e}"))?;
        let addrs: Vec<SocketAddr> = resolved.collect();
        if addrs.is_empty() {
            return Err(format!("host {host:?} has no address"));
        }
        if let Some(why) = addrs.iter().find_map(|a| refused(a.ip())) {
            return Err(format!(
                "host {host:?} resolves to {why}, which webhooks may not reach"
            ));
        }
    }
    Ok(parsed)
}

/// The resolver of the webhook client: only addresses a webhook may reach.
#[derive(Clone, Debug)]
pub(crate) struct GuardedResolver {
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| allow_private || refused(a.ip()).is_none())
                .collect();
            if found.is_empty() {
                let error: Box<dyn std::error::Error + Send + Sync> =
                    format!("{host} resolves to no address webhooks may reach").into();
                return Err(error);
            }
            let addrs: Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_internal_addresses_and_allows_public_ones() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.100.100.200",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00:ec2::254",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(
                refused(ip.parse().unwrap()).is_some(),
                "{ip} must be refused"
            );
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert_eq!(refused(ip.parse().unwrap()), None, "{ip} must be allowed");
        }
    }

    #[test]
    fn urls_need_https_and_a_public_literal_unless_private_is_allowed() {
        assert!(check_url("https://example.com/hook", false).is_ok());
        assert!(check_url("http://example.com/hook", false).is_err());
        assert!(check_url("https://127.0.0.1/hook", false).is_err());
        assert!(check_url("https://[::1]/hook", false).is_err());
        assert!(check_url("https://user:pw@example.com/", false).is_err());
        assert!(check_url("ftp://example.com/", true).is_err());
        assert!(check_url("http://127.0.0.1:9/hook", true).is_ok());
    }
}
