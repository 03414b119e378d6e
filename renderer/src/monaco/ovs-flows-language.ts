import type { editor, languages } from 'monaco-editor/editor/editor.api';

export const OVS_FLOWS_LANGUAGE = 'ovs-flows';
export const FLOWS_THEME = 'microseg-dark';

/**
 * Highlighting for `ovs-ofctl add-flows` text as the compiler prints it: comments heading
 * each table, the flow's own keys (cookie, table, priority, actions), match fields,
 * protocols, conntrack flags, addresses and action verbs.
 */
export const ovsFlowsMonarch: languages.IMonarchLanguage = {
  defaultToken: '',
  tokenPostfix: '.ovs',
  tokenizer: {
    root: [
      [/#.*$/, 'comment'],
      [/\b(cookie)(=)(0x[0-9a-fA-F]+)/, ['keyword', 'delimiter', 'number.cookie']],
      [/\b(table|priority|actions|idle_timeout|hard_timeout)(?==)/, 'keyword'],
      [
        /\b(ct_state|ct_mark|ct_label|ct_zone|nw_src|nw_dst|nw_proto|ipv6_src|ipv6_dst|tp_src|tp_dst|in_port|dl_type|dl_src|dl_dst|conj_id|reg\d+|metadata|icmp_type|icmp_code|icmpv6_type|arp_op|nd_target)(?==)/,
        'attribute.name',
      ],
      [/\b(ip|ipv6|tcp|tcp6|udp|udp6|sctp|sctp6|icmp|icmp6|arp)\b/, 'type'],
      [/\b(drop|output|goto_table|resubmit|ct|commit|conjunction|normal|NORMAL|load|set_field|move|controller|learn|zone|exec|nat)\b/, 'keyword.action'],
      [/[+-](trk|new|est|rel|rpl|inv|dnat|snat)\b/, 'string.flag'],
      [/\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?/, 'string.address'],
      [/[0-9a-fA-F]{0,4}(:[0-9a-fA-F]{0,4}){2,7}(\/\d{1,3})?/, 'string.address'],
      [/0x[0-9a-fA-F]+/, 'number.hex'],
      [/\d+/, 'number'],
      [/[=,()/:[\]]/, 'delimiter'],
    ],
  },
};

/** A dark theme in the app's palette; Monaco wants colours without the leading `#`. */
export const flowsTheme: editor.IStandaloneThemeData = {
  base: 'vs-dark',
  inherit: true,
  rules: [
    { token: 'comment', foreground: '6f7d95', fontStyle: 'italic' },
    { token: 'keyword', foreground: 'c4a7ff' },
    { token: 'keyword.action', foreground: 'ff9e64' },
    { token: 'attribute.name', foreground: '7aa2f7' },
    { token: 'type', foreground: 'e0c46c' },
    { token: 'string.flag', foreground: '9ece6a' },
    { token: 'string.address', foreground: '9ece6a' },
    { token: 'number', foreground: 'ff9e64' },
    { token: 'number.cookie', foreground: '5fd7d7' },
    { token: 'number.hex', foreground: '5fd7d7' },
    { token: 'delimiter', foreground: '8891a7' },
  ],
  colors: {
    'editor.background': '#11151c',
    'editor.lineHighlightBackground': '#1a2030',
    'editorLineNumber.foreground': '#4a5368',
    'editorGutter.background': '#11151c',
  },
};
