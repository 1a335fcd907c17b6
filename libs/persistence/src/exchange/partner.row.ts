/** One row of partner: a partner hotline, its keys, and ours for it (the private one encrypted). */
export interface PartnerRow {
  id: string;
  name: string;
  countries: string[];
  base_url: string;
  status: 'active' | 'disabled';
  their_key_id: string;
  their_public_key: string;
  our_key_id: string;
  our_public_key: string;
  our_private_key_encrypted: Buffer;
  our_next_key_id: string | null;
  our_next_public_key: string | null;
  our_next_private_key_encrypted: Buffer | null;
  previous_their_key_id: string | null;
  previous_their_public_key: string | null;
  previous_their_key_until: Date | null;
  rate_limit_per_minute: number;
  created_at: Date;
  updated_at: Date;
}
