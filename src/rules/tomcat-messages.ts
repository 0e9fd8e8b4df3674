/**
 * Tomcat's own log messages that the Tomcat-side signals care about, in every wording Tomcat has shipped:
 * the English text of each LocalStrings.properties key across versions (plus the few hardcoded English
 * lines that preceded a key), and the translations of LocalStrings_<lang>.properties (cs, de, es, fr, ja,
 * ko, pt_BR, ru, zh_CN) that a JVM running in that locale prints instead. pt_BR ships no translation of
 * any of these keys, so it never appears below.
 *
 * Data, read from the apache/tomcat git history (every 7.0, 8.5, 9.0, 10.0, 10.1 and 11.0 release tag, the
 * 8.0.0 RC tags and 8.0.0 — later 8.0.x tags are not in the mirror —, the branch heads and main) and from
 * apache/tomcat55 (5.5.x tags). Tomcat 6.0: the tc6.0.x branch is not in the mirror, so "6.0" below means svn
 * trunk between 2007-02 and 2009-04, the 6.0 code line before 7.0 work began.
 * The translations ship in lib/tomcat-i18n-<lang>.jar of the standalone distributions (7.0.x and later); the
 * embedded jars (tomcat-embed-core, so Spring Boot) leave them out and print English whatever the locale.
 * Strings are exactly as in the properties files after decoding (\uXXXX escapes decoded, {N} kept, MessageFormat
 * quotes such as '' kept). `source` lists the files, the keys (older keys included) and, per wording
 * (`en[i]`, `ja[i]`… = index in the arrays), the releases that carry it; `X+` = from X to the newest release of
 * that line. Version lists are from the properties files: where the code logs a key in fewer releases, the note
 * at the end of `source` says so.
 *
 * How Tomcat prints them (org.apache.tomcat.util.res.StringManager): getString(key) with no arguments
 * returns the text raw; getString(key, args…) formats it with java.text.MessageFormat ('' → ', '…' quotes a
 * literal run, numbers get locale grouping: "10,217", "10.217", "10 217"). For every key here Tomcat passes
 * arguments exactly when the wording has a {N} placeholder, which is the rule messagePattern() applies.
 */

export interface TomcatMessage {
  /** Every English wording across versions, oldest first. */
  en: string[];
  /** Language code of the LocalStrings_<code>.properties file → its wordings across versions, oldest first. */
  translations: Record<string, string[]>;
  /** Files, keys and releases seen (see the module comment). */
  source: string;
}

/** Locales Tomcat ships LocalStrings_<code>.properties for. */
export const TOMCAT_LOCALES = ['cs', 'de', 'es', 'fr', 'ja', 'ko', 'pt_BR', 'ru', 'zh_CN'] as const;

/** Keyed by the newest LocalStrings key (`ajpprocessor.httpupgrade.notsupported` is our name for the upgrade refusal, see its source). */
export const TOMCAT_MESSAGES: Record<string, TomcatMessage> = {
  "ajpmessage.invalid": {
    en: ["Invalid message recieved with signature {0}", "Invalid message received with signature {0}", "Invalid message received with signature [{0}]", "BAD packet signature {0}"],
    translations: {
      es: ["Mensaje inválido recibido con firma {0}", "Mensaje inválido recibido con firma [{0}]"],
      fr: ["Message invalide reçu avec la signature [{0}]"],
      ja: ["署名[{0}]で無効なメッセージが受信されました。"],
      ko: ["서명 [{0}]와(과) 함께, 유효하지 않은 메시지를 받았습니다."],
      zh_CN: ["收到无效的带有签名[{0}]的消息"],
    },
    source: "java/org/apache/coyote/ajp/LocalStrings[_xx].properties; keys ajpmessage.invalid. en[0]: 5.5.11–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.11; en[1]: 7.0.12–7.0.96, 8.0.0-RC1–8.0.0, 8.5.0–8.5.14, 9.0.0-M1–9.0.0-M19; en[2]: 7.0.97+, 8.5.15+, 9.0.0-M20+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; es[0]: 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.96, 8.0.0-RC1–8.0.0, 8.5.0–8.5.14, 9.0.0-M1–9.0.0-M19; es[1]: 7.0.97+, 8.5.15+, 9.0.0-M20+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; fr[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ja[0]: 7.0.97+, 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ko[0]: 7.0.97+, 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; zh_CN[0]: 7.0.104+, 8.5.54+, 9.0.34+, 10.0.0-M4+, 10.1.0-M1+, 11.0.0-M1+. en[3] is hardcoded English, not a properties string: org.apache.jk.common.MsgAjp (Tomcat 5.5/6 default AJP connector when APR is absent) log.error(\"BAD packet signature \" + mark), never translated",
  },
  "ajpprocessor.header.tooLong": {
    en: ["Header message of length [{0}] received but the packetSize is only [{1}]"],
    translations: {
      fr: ["Un en-tête de message de taille [{0}] a été reçu mais la packtSize est de seulement [{1}]"],
      ja: ["受信したヘッダーに指定されたメッセージ長は [{0}] ですがpacketSize は [{1}] しかありません。"],
      ko: ["길이가 [{0}]인 헤더 메시지를 받았지만, 패킷 크기는 단지 [{1}]입니다."],
      zh_CN: ["已收到长度为[{0}]的头消息，但packetSize仅为[{1}]"],
    },
    source: "java/org/apache/coyote/ajp/LocalStrings[_xx].properties; keys ajpprocessor.header.tooLong. en[0]: 7.0.13+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; fr[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ja[0]: 7.0.97+, 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ko[0]: 7.0.97+, 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; zh_CN[0]: 7.0.104+, 8.5.55+, 9.0.35+, 10.0.0-M5+, 10.1.0-M1+, 11.0.0-M1+",
  },
  "ajpmessage.overflow": {
    en: ["Overflow error for buffer adding {0} bytes at position {1}", "Overflow error for buffer adding [{0}] bytes at position [{1}]"],
    translations: {
      cs: ["Chyba přetečení pro buffer přidávající [{0}] bytů na pozici [{1}]"],
      de: ["Überlauffehler im Puffer beim Hinzufügen von [{0}] Bytes an Position [{1}]"],
      es: ["Error de desbordamiento en búfer al añadir {0} bytes en posición {1}", "Error de desbordamiento en búfer al añadir [{0}] bytes en posición [{1}]"],
      fr: ["Débordement du tampon en ajoutant [{0}] octets à la position [{1}]"],
      ja: ["バッファーの位置 [{1}] へ [{0}] バイトのデータを追加しようとして、オーバーフローエラーが発生しました。"],
      ko: ["버퍼에 [{0}] 바이트들을 위치 [{1}]에 추가하는 동안 오버플로우 오류 발생", "버퍼에 [{0}] 바이트들을 [{1}] 위치에 추가하는 동안 오버플로우 오류 발생"],
      ru: ["Ошибка переполнения для буфера при добавлении [{0}] байтов в позиции [{1}]"],
      zh_CN: ["在缓冲区[{1}]位置添加[{0}]字节时发生溢出错误"],
    },
    source: "java/org/apache/coyote/ajp/LocalStrings[_xx].properties; keys ajpmessage.overflow. en[0]: 5.5.11–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.96, 8.0.0-RC1–8.0.0, 8.5.0–8.5.14, 9.0.0-M1–9.0.0-M19; en[1]: 7.0.97+, 8.5.15+, 9.0.0-M20+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; cs[0]: 9.0.16+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; de[0]: 7.0.97+, 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; es[0]: 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.96, 8.0.0-RC1–8.0.0, 8.5.0–8.5.14, 9.0.0-M1–9.0.0-M19; es[1]: 7.0.97+, 8.5.15+, 9.0.0-M20+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; fr[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ja[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ko[0]: 7.0.97+, 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ko[1]: 9.0.14; ru[0]: 8.5.94+, 9.0.81+, 10.1.14+, 11.0.0-M12+; zh_CN[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+",
  },
  "ajpprocessor.unknownAttribute": {
    en: ["Rejecting request due to unknown request attribute [{0}] received from reverse proxy"],
    translations: {
      fr: ["La requête est rejetée à cause de l''attribut de requête [{0}] inconnu reçu du reverse proxy"],
      ja: ["リバースプロキシから受信した不明なリクエスト属性[{0}]によるリクエストの拒否"],
      ko: ["리버스 프록시 서버로부터 알 수 없는 요청 속성 [{0}]이(가) 접수되어 요청 처리를 거부합니다."],
      zh_CN: ["由于请求属性[{0}]接收自反向代理，请求被拒绝"],
    },
    source: "java/org/apache/coyote/ajp/LocalStrings[_xx].properties; keys ajpprocessor.unknownAttribute. en[0]: 7.0.105+, 8.5.56+, 9.0.36+, 10.0.0-M6+, 10.1.0-M1+, 11.0.0-M1+; fr[0]: 7.0.107+, 8.5.59+, 9.0.39+, 10.0.0-M9+, 10.1.0-M1+, 11.0.0-M1+; ja[0]: 7.0.109+, 8.5.65+, 9.0.45+, 10.0.5+, 10.1.0-M1+, 11.0.0-M1+; ko[0]: 7.0.107+, 8.5.59+, 9.0.39+, 10.0.0-M9+, 10.1.0-M1+, 11.0.0-M1+; zh_CN[0]: 7.0.109+, 8.5.64+, 9.0.44+, 10.0.3+, 10.1.0-M1+, 11.0.0-M1+",
  },
  "ajpprotocol.noSecret": {
    en: ["The AJP Connector is configured with secretRequired=\"true\" but the secret attribute is either null or \"\". This combination is not valid."],
    translations: {
      fr: ["Le connecteur AJP est configuré avec secretRequired=\"true\" mais l'attribut secret est soit null soit \"\", cette combinaison n'est pas valide"],
      ja: ["AJP コネクタは secretRequired=\"true\" として構成されていますが、secret 属性は null または空文字列が設定されています。この組み合わせは有効ではありません"],
      ko: ["AJP 연결자는 secretRequired=\"true\"로 구성되었으나 보안 속성이 널 또는 \"\"입니다. 이 조합은 유효하지 않습니다."],
      zh_CN: ["AJP连接器配置secretRequired=\"true\",但是属性secret确实空或者空字符串，这样的组合是无效的。"],
    },
    source: "java/org/apache/coyote/ajp/LocalStrings[_xx].properties; keys ajpprotocol.noSecret, ajpprotocol.nosecret. en[0] as ajpprotocol.noSecret/ajpprotocol.nosecret: 7.0.100+, 8.5.51+, 9.0.31+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; fr[0] as ajpprotocol.noSecret/ajpprotocol.nosecret: 7.0.101+, 8.5.52+, 9.0.32+, 10.0.0-M2+, 10.1.0-M1+, 11.0.0-M1+; ja[0]: 7.0.104+, 8.5.55+, 9.0.35+, 10.0.0-M5+, 10.1.0-M1+, 11.0.0-M1+; ko[0] as ajpprotocol.noSecret/ajpprotocol.nosecret: 7.0.101+, 8.5.52+, 9.0.32+, 10.0.0-M2+, 10.1.0-M1+, 11.0.0-M1+; zh_CN[0]: 7.0.104+, 8.5.54+, 9.0.34+, 10.0.0-M4+, 10.1.0-M1+, 11.0.0-M1+. Logged without arguments (thrown as IllegalArgumentException by AbstractAjpProtocol.start, shows in the Caused by line), so the text is printed raw: a single quote stays single.",
  },
  "ajpprocessor.httpupgrade.notsupported": {
    en: ["HTTP upgrades are not supported by this connector", "HTTP upgrade is not supported by the AJP protocol", "HTTP upgrade is not supported by this protocol"],
    translations: {
      cs: ["HTTP upgrade není podporován tímto protokolem"],
      de: ["HTTP-Upgrade wird von diesem Protokol nicht unterstützt"],
      es: ["La actualización HTTP no esta soportada por esta protocol"],
      fr: ["La promotion (upgrade) HTTP n'est pas supporté par ce protocole"],
      ja: ["このプロトコルは HTTP アップグレードに対応していません。"],
      ko: ["HTTP 업그레이드는 이 프로토콜에 의해 지원되지 않습니다."],
      ru: ["Обновление HTTP не поддерживается данным протоколом"],
      zh_CN: ["此协议不支持HTTP升级（upgrade）。"],
    },
    source: "java/org/apache/coyote/LocalStrings[_xx].properties + java/org/apache/coyote/ajp/LocalStrings[_xx].properties; keys abstractProcessor.httpupgrade.notsupported, ajpprocessor.httpupgrade.notsupported. en[0]: 7.0.27+, 8.0.0-RC1; en[1]: 8.0.0-RC2–8.0.0, 8.5.0–8.5.4, 9.0.0-M1–9.0.0-M9; en[2] as abstractProcessor.httpupgrade.notsupported: 8.5.5+, 9.0.0-M10+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; cs[0] as abstractProcessor.httpupgrade.notsupported: 9.0.16+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; de[0] as abstractProcessor.httpupgrade.notsupported: 8.5.46+, 9.0.21+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; es[0] as abstractProcessor.httpupgrade.notsupported: 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; fr[0] as abstractProcessor.httpupgrade.notsupported: 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ja[0] as abstractProcessor.httpupgrade.notsupported: 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ko[0] as abstractProcessor.httpupgrade.notsupported: 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ru[0] as abstractProcessor.httpupgrade.notsupported: 8.5.62+, 9.0.42+, 10.0.1+, 10.1.0-M1+, 11.0.0-M1+; zh_CN[0] as abstractProcessor.httpupgrade.notsupported: 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+. Our name for the upgrade refusal: ajpprocessor.httpupgrade.notsupported (java/org/apache/coyote/ajp) until 8.5.4 / 9.0.0-M9, then the protocol-neutral abstractProcessor.httpupgrade.notsupported (java/org/apache/coyote) thrown as IllegalStateException / UnsupportedOperationException by AbstractProcessor; no arguments, printed raw.",
  },
  "standardService.connector.initFailed": {
    en: ["Failed to initialise connector [{0}]", "Failed to initialize connector [{0}]"],
    translations: {
      es: ["No pude inicializar el conector [{0}]"],
    },
    source: "java/org/apache/catalina/core/LocalStrings[_xx].properties; keys standardService.connector.initFailed. en[0]: 7.0.0-RC2–7.0.0; en[1]: 7.0.1+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1–9.0.0-M11; es[0]: 7.0.17+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1–9.0.0-M11. Key removed at 9.0.0-M12 (throwOnFailure, BZ 60152): 9.0+/10/11 report lifecycleBase.initFail instead. Tomcat 6.0.x prints the same English text from code (seen in a real 6.0.33 log; the tc6.0.x branch is not in the mirror, only svn trunk).",
  },
  "standardService.connector.startFailed": {
    en: ["Failed to start connector [{0}]"],
    translations: {
      es: ["No pude arrancar el conector [{0}]"],
    },
    source: "java/org/apache/catalina/core/LocalStrings[_xx].properties; keys standardService.connector.startFailed. en[0]: 7.0.1+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1–9.0.0-M11; es[0]: 7.0.17+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1–9.0.0-M11. Key removed from the properties at 9.0.0-M12, but StandardService.addConnector (9.0+, main) still calls sm.getString(\"standardService.connector.startFailed\", connector): a connector added at runtime that fails prints the bare key.",
  },
  "lifecycleBase.initFail": {
    en: ["Failed to initialize component [{0}]"],
    translations: {
      de: ["Konnte Komponente [{0}] nicht initialisieren"],
      es: ["Fallo al iniciar el componente [{0}]"],
      fr: ["Echec d''initialisation du composant [{0}]"],
      ja: ["コンポーネント[{0}] の初期化に失敗しました。", "コンポーネント [{0}] の初期化に失敗しました"],
      ko: ["구성요소 [{0}]을(를) 초기화하지 못했습니다.", "컴포넌트 [{0}]을(를) 초기화하는 데에 실패했습니다."],
      ru: ["Ошибка инициализации компонента [{0}]"],
      zh_CN: ["初始化组件[{0}]失败。"],
    },
    source: "java/org/apache/catalina/util/LocalStrings[_xx].properties; keys lifecycleBase.initFail. en[0]: 7.0.20+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; de[0]: 7.0.97+, 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; es[0]: 7.0.97+, 8.5.46+, 9.0.17+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; fr[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ja[0]: 7.0.97+, 8.5.46–8.5.73, 9.0.14–9.0.56, 10.0.0-M1–10.0.14, 10.1.0-M1–10.1.0-M8; ja[1]: 8.5.74+, 9.0.57+, 10.0.15+, 10.1.0-M9+, 11.0.0-M1+; ko[0]: 7.0.97+, 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ko[1]: 9.0.14; ru[0]: 8.5.94+, 9.0.81+, 10.1.14+, 11.0.0-M12+; zh_CN[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+",
  },
  "lifecycleBase.startFail": {
    en: ["Failed to start component [{0}]"],
    translations: {
      fr: ["Echec de démarrage du composant [{0}]"],
      ja: ["コンポーネント[{0}]の開始に失敗しました。", "コンポーネント [{0}] の開始に失敗しました"],
      ko: ["구성요소 [{0}]을(를) 시작하지 못했습니다."],
      zh_CN: ["无法启动组件[{0}]"],
    },
    source: "java/org/apache/catalina/util/LocalStrings[_xx].properties; keys lifecycleBase.startFail. en[0]: 7.0.20+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; fr[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ja[0]: 7.0.97+, 8.5.46–8.5.73, 9.0.15–9.0.56, 10.0.0-M1–10.0.14, 10.1.0-M1–10.1.0-M8; ja[1]: 8.5.74+, 9.0.57+, 10.0.15+, 10.1.0-M9+, 11.0.0-M1+; ko[0]: 7.0.97+, 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; zh_CN[0]: 7.0.104+, 8.5.55+, 9.0.35+, 10.0.0-M5+, 10.1.0-M1+, 11.0.0-M1+",
  },
  "coyoteConnector.protocolHandlerInitializationFailed": {
    en: ["Protocol handler initialization failed: {0}", "Protocol handler initialization failed"],
    translations: {
      es: ["Falló la inicialización del manejador de protocolo: {0}", "Falló la inicialización del manejador de protocolo"],
      fr: ["L''initialisation du gestionnaire de protocole a échoué: {0}", "L''initialisation du gestionnaire de protocole a échoué", "L'initialisation du gestionnaire de protocole a échoué"],
      ja: ["プロトコルハンドラの初期化に失敗しました: {0}", "プロトコルハンドラの初期化に失敗しました"],
      ko: ["프로토콜 핸들러 초기화가 실패했습니다."],
      zh_CN: ["协议处理程序初始化失败"],
    },
    source: "java/org/apache/catalina/connector/LocalStrings[_xx].properties; keys coyoteConnector.protocolHandlerInitializationFailed. en[0]: 5.5.0–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.5; en[1]: 7.0.6+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; es[0]: 5.5.0–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.20; es[1]: 7.0.21+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; fr[0]: 5.5.0–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.20; fr[1]: 7.0.21–7.0.96, 8.0.0-RC1–8.0.0, 8.5.0–8.5.43, 9.0.0-M1–9.0.10; fr[2]: 7.0.97+, 8.5.44+, 9.0.11+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ja[0]: 5.5.0–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.20; ja[1]: 7.0.21+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ko[0]: 7.0.97+, 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; zh_CN[0]: 7.0.104+, 8.5.55+, 9.0.35+, 10.0.0-M5+, 10.1.0-M1+, 11.0.0-M1+. Called with the exception as {0} up to 7.0.5, without arguments since 7.0.6 (the exception is the LifecycleException cause), so since then the text is printed raw: fr[1] really prints the doubled quote \"L''initialisation\" (7.0.21–7.0.96, 8.0, 8.5.0–8.5.43, 9.0.0-M1–9.0.10).",
  },
  "coyoteConnector.protocolHandlerStartFailed": {
    en: ["Protocol handler start failed: {0}", "Protocol handler start failed"],
    translations: {
      de: ["Der Start des Protokoll-Handlers ist fehlgeschlagen"],
      es: ["Falló el arranque del manejador de protocolo: {0}", "Falló el arranque del manejador de protocolo"],
      fr: ["Le démarrage du gestionnaire de protocole a échoué: {0}", "Le démarrage du gestionnaire de protocole a échoué"],
      ja: ["プロトコルハンドラの起動に失敗しました: {0}", "プロトコルハンドラの起動に失敗しました"],
      ko: ["프로토콜 핸들러 시작 실패"],
      zh_CN: ["协议处理器启动失败"],
    },
    source: "java/org/apache/catalina/connector/LocalStrings[_xx].properties; keys coyoteConnector.protocolHandlerStartFailed. en[0]: 5.5.0–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.5; en[1]: 7.0.6+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; de[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; es[0]: 5.5.0–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.20; es[1]: 7.0.21+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; fr[0]: 5.5.0–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.20; fr[1]: 7.0.21+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ja[0]: 5.5.0–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.20; ja[1]: 7.0.21+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ko[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; zh_CN[0]: 7.0.98+, 8.5.48+, 9.0.28+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+. Called with the exception as {0} up to 7.0.5, without arguments since 7.0.6.",
  },
  "abstractProtocolHandler.initError": {
    en: ["Error initializing endpoint", "Failed to initialize end point associated with ProtocolHandler [{0}]"],
    translations: {
      es: ["Error inicializando punto final"],
    },
    source: "java/org/apache/coyote/LocalStrings[_xx].properties + java/org/apache/coyote/ajp/LocalStrings[_xx].properties; keys abstractProtocolHandler.initError, ajpprotocol.endpoint.initerror. en[0] as ajpprotocol.endpoint.initerror: 5.5.10–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.5; en[1]: 7.0.6+, 8.0.0-RC1–8.0.0, 8.5.0–8.5.23, 9.0.0-M1–9.0.0-M11; es[0] as ajpprotocol.endpoint.initerror: 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.5. ajpprotocol.endpoint.initerror is AjpProtocol/AjpAprProtocol up to 7.0.5 (Http11 protocols log the same English text under their own key). abstractProtocolHandler.initError left the properties after 8.5.23 / 9.0.0-M11: init failures then propagate as exceptions.",
  },
  "abstractProtocolHandler.startError": {
    en: ["Error starting endpoint", "Failed to start end point associated with ProtocolHandler [{0}]"],
    translations: {
      es: ["Error arrancando punto final"],
    },
    source: "java/org/apache/coyote/LocalStrings[_xx].properties + java/org/apache/coyote/ajp/LocalStrings[_xx].properties; keys abstractProtocolHandler.startError, ajpprotocol.endpoint.starterror. en[0] as ajpprotocol.endpoint.starterror: 5.5.10–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1+; en[1]: 7.0.6+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1–9.0.0-M11; es[0] as ajpprotocol.endpoint.starterror: 6.0 (svn trunk 2007–2009), 7.0.0-RC1+. ajpprotocol.endpoint.starterror is logged by code only up to 7.0.5 (later 7.0.x properties keep it unused).",
  },
  "abstractProtocolHandler.init": {
    en: ["Initializing Coyote AJP/1.3 on {0}", "Initializing ProtocolHandler [{0}]", "Initializing Coyote AJP/1.3 on [{0}]"],
    translations: {
      cs: ["Inicializace ProtocolHandler [{0}]"],
      de: ["Initialisiere ProtocolHandler[{0}]"],
      es: ["Inicializando Coyote AJP/1.3 en {0}", "Inicializando Coyote AJP/1.3 en [{0}]", "Inicializando el manejador de protocolo [{0}]\n"],
      fr: ["Initialisation du gestionnaire de protocole [{0}]"],
      ja: ["プロトコルハンドラ [{0}] を初期化します。"],
      ko: ["프로토콜 핸들러 [{0}]을(를) 초기화합니다.", "ProtocolHandler [{0}]을(를) 초기화합니다."],
      ru: ["Инициализация ProtocolHandler [{0}]"],
      zh_CN: ["初始化协议处理器 [{0}]"],
    },
    source: "java/org/apache/coyote/LocalStrings[_xx].properties + java/org/apache/coyote/ajp/LocalStrings[_xx].properties; keys abstractProtocolHandler.init, ajpprotocol.init. en[0] as ajpprotocol.init: 5.5.10–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.96; en[1]: 7.0.6+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; en[2] as ajpprotocol.init: 7.0.97+; cs[0]: 9.0.17+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; de[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; es[0] as ajpprotocol.init: 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.5, 7.0.17–7.0.96; es[1] as ajpprotocol.init: 7.0.97+; es[2]: 7.0.97+, 8.5.46+, 9.0.16+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; fr[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ja[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ko[0]: 7.0.97+, 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ko[1]: 9.0.14; ru[0]: 8.5.94+, 9.0.81+, 10.1.14+, 11.0.0-M12+; zh_CN[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+. ajpprotocol.init (\"Coyote AJP/1.3 on ajp-8009\") is logged by AjpProtocol/AjpAprProtocol in 5.5, 6.0 and 7.0.0–7.0.5; 7.0.6+ properties keep it (bracketed in 7.0.97+) but the code logs abstractProtocolHandler.init.",
  },
  "abstractProtocolHandler.start": {
    en: ["Starting Coyote AJP/1.3 on {0}", "Starting ProtocolHandler [{0}]", "Starting Coyote AJP/1.3 on [{0}]"],
    translations: {
      es: ["Arrancando Coyote AJP/1.3 en {0}", "Arrancando Coyote AJP/1.3 en [{0}]"],
      fr: ["Démarrage du gestionnaire de protocole [{0}]"],
      ja: ["プロトコルハンドラー [{0}] を開始しました。"],
      ko: ["프로토콜 핸들러 [{0}]을(를) 시작합니다."],
      zh_CN: ["开始协议处理句柄[{0}]"],
    },
    source: "java/org/apache/coyote/LocalStrings[_xx].properties + java/org/apache/coyote/ajp/LocalStrings[_xx].properties; keys abstractProtocolHandler.start, ajpprotocol.start. en[0] as ajpprotocol.start: 5.5.10–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.96; en[1]: 7.0.6+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; en[2] as ajpprotocol.start: 7.0.97+; es[0] as ajpprotocol.start: 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.96; es[1] as ajpprotocol.start: 7.0.97+; fr[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ja[0]: 7.0.97+, 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ko[0]: 7.0.97+, 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; zh_CN[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+. ajpprotocol.start is logged by code only in 5.5, 6.0 and 7.0.0–7.0.5 (later 7.0.x properties keep it unused).",
  },
  "abstractProtocolHandler.pause": {
    en: ["Pausing Coyote AJP/1.3 on {0}", "Pausing ProtocolHandler [{0}]"],
    translations: {
      es: ["Pausando Coyote AJP/1.3 en {0}"],
      fr: ["Le gestionnaire de protocole [{0}] est mis en pause"],
      ja: ["ProtocolHandler [{0}] を一時停止します。"],
      ko: ["프로토콜 핸들러 [{0}]을(를) 일시 정지 중"],
      zh_CN: ["暂停ProtocolHandler[{0}]"],
    },
    source: "java/org/apache/coyote/LocalStrings[_xx].properties + java/org/apache/coyote/ajp/LocalStrings[_xx].properties; keys abstractProtocolHandler.pause, ajpprotocol.pause. en[0] as ajpprotocol.pause: 5.5.10–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.5; en[1]: 7.0.6+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; es[0] as ajpprotocol.pause: 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.5; fr[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ja[0]: 7.0.97+, 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ko[0]: 7.0.97+, 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; zh_CN[0]: 7.0.104+, 8.5.55+, 9.0.35+, 10.0.0-M5+, 10.1.0-M1+, 11.0.0-M1+. ajpprotocol.pause is logged in 5.5, 6.0 and 7.0.0–7.0.5.",
  },
  "abstractProtocolHandler.stop": {
    en: ["Stopping Coyote AJP/1.3 on {0}", "Stopping ProtocolHandler [{0}]"],
    translations: {
      es: ["Parando Coyote AJP/1.3 en {0}"],
      fr: ["Arrêt du gestionnaire de protocole [{0}]"],
      ja: ["ProtocolHandler [{0}]の停止中"],
      ko: ["프로토콜 핸들러 [{0}]을(를) 중지시킵니다.", "ProtocolHandler [{0}]을(를) 중지시킵니다."],
      zh_CN: ["正在停止ProtocolHandler [{0}]"],
    },
    source: "java/org/apache/coyote/LocalStrings[_xx].properties + java/org/apache/coyote/ajp/LocalStrings[_xx].properties; keys abstractProtocolHandler.stop, ajpprotocol.stop. en[0] as ajpprotocol.stop: 5.5.10–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.5; en[1]: 7.0.6+, 8.0.0-RC1–8.0.0, 8.5.0+, 9.0.0-M1+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; es[0] as ajpprotocol.stop: 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.5; fr[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ja[0]: 7.0.97+, 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ko[0]: 7.0.97+, 8.5.46+, 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ko[1]: 9.0.14; zh_CN[0]: 7.0.98+, 8.5.48+, 9.0.28+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+. ajpprotocol.stop is logged in 5.5, 6.0 and 7.0.0–7.0.5.",
  },
  "catalina.startup": {
    en: ["Server startup in [{0}] milliseconds", "Server startup in {0} ms"],
    translations: {
      fr: ["Le démarrage du serveur a pris [{0}] millisecondes"],
      ja: ["サーバーの起動 [{0}]ms", "サーバーの起動 [{0}] ミリ秒"],
      ko: ["서버가 [{0}] 밀리초 내에 시작되었습니다."],
      zh_CN: ["[{0}]毫秒后服务器启动"],
    },
    source: "java/org/apache/catalina/startup/LocalStrings[_xx].properties; keys catalina.startup. en[0]: 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; fr[0]: 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ja[0]: 9.0.14–9.0.67, 10.0.0-M1–10.0.26, 10.1.0-M1–10.1.0; ja[1]: 9.0.68+, 10.0.27+, 10.1.1+, 11.0.0-M1+; ko[0]: 9.0.15+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; zh_CN[0]: 9.0.35+, 10.0.0-M5+, 10.1.0-M1+, 11.0.0-M1+. en[1] is hardcoded English, not a properties string: Catalina.start log.info(\"Server startup in \" + ms + \" ms\") in 5.5, 6.0, 7.0, 8.5 and 9.0.0-M1–9.0.13, never translated (the key exists only since 9.0.14)",
  },
  "standardService.stop.name": {
    en: ["Stopping service {0}", "Stopping service [{0}]"],
    translations: {
      es: ["Parando servicio {0}", "Parando servicio [{0}]"],
      fr: ["Arrêt du service {0}", "Arrêt du service [{0}]"],
      ja: ["サービス {0} を停止します", "サービス [{0}] を停止します"],
      ko: ["서비스 [{0}]을(를) 중지시킵니다."],
      zh_CN: ["正在停止服务[{0}]"],
    },
    source: "java/org/apache/catalina/core/LocalStrings[_xx].properties; keys standardService.stop.name. en[0]: 5.5.0–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.96, 8.0.0-RC1–8.0.0, 8.5.0–8.5.14, 9.0.0-M1–9.0.0-M19; en[1]: 7.0.97+, 8.5.15+, 9.0.0-M20+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; es[0]: 5.5.0–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.96, 8.0.0-RC1–8.0.0, 8.5.0–8.5.14, 9.0.0-M1–9.0.0-M19; es[1]: 7.0.97+, 8.5.15+, 9.0.0-M20+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; fr[0]: 5.5.0–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.96, 8.0.0-RC1–8.0.0, 8.5.0–8.5.14, 9.0.0-M1–9.0.0-M19; fr[1]: 7.0.97+, 8.5.15+, 9.0.0-M20+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ja[0]: 5.5.0–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.96, 8.0.0-RC1–8.0.0, 8.5.0–8.5.14, 9.0.0-M1–9.0.0-M19; ja[1]: 7.0.97+, 8.5.15+, 9.0.0-M20+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; ko[0]: 7.0.97+, 8.5.46+, 9.0.14+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+; zh_CN[0]: 7.0.98+, 8.5.48+, 9.0.28+, 10.0.0-M1+, 10.1.0-M1+, 11.0.0-M1+",
  },
  "threadpool.busy": {
    en: ["All threads ({0}) are currently busy, waiting. Increase maxThreads ({1}) or check the servlet status"],
    translations: {
      es: ["Todos los hilos ({0}) están ahora ocupados, esperando. Incremente maxThreads ({1}) o revise el estado del servlet"],
      fr: ["Tous les threads ({0}) sont actuellement occupés, attente. Augmentez maxThreads ({1}) ou vérifiez le servlet status"],
      ja: ["すべてのスレッド ({0}) が現在稼働中で待機しています。maxThreads ({1}) を増やすか、そのサーブレットのステータスをチェックしてください"],
    },
    source: "java/org/apache/tomcat/util/threads/res/LocalStrings[_xx].properties; keys threadpool.busy. en[0]: 5.5.0–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.5; es[0]: 5.5.0–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.5; fr[0]: 5.5.0–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.5; ja[0]: 5.5.0–5.5.36, 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.5. Logged (SEVERE) by org.apache.tomcat.util.threads.ThreadPool.logFull (JK ChannelSocket and PoolTcpEndpoint pools) in 5.5 and 6.0; ThreadPool was removed from trunk in 2009-04, so the 7.0.0–7.0.5 properties carry a dead string. 7.0+/8.5+/9+ executor-based endpoints log nothing when maxThreads is reached (no LocalStrings message for it, nor for maxConnections).",
  },
  "endpoint.info.maxThreads": {
    en: ["Maximum number of threads ({0}) created for connector with address {1} and port {2}"],
    translations: {
      es: ["El máximo número de hilos ({0}) creados para el conector con dirección {1} y puerto {2}"],
    },
    source: "java/org/apache/tomcat/util/net/res/LocalStrings[_xx].properties; keys endpoint.info.maxThreads. en[0]: 6.0 (svn trunk 2007–2009), 7.0.0-RC1–7.0.42; es[0]: 7.0.17–7.0.96. Logged by the JIoEndpoint/AprEndpoint/NioEndpoint worker stacks of 6.0 (WARN, INFO after trunk 2008-10); the worker stacks left trunk in 2009-08, before 7.0.0, so the 7.0.x properties carry a dead string. The net/res fr and ja files never had this key.",
  },
};

// ---------------------------------------------------------------------------------------------
// Patterns
// ---------------------------------------------------------------------------------------------

/** One wording of a key, as Tomcat prints it. */
export interface MessageWording {
  /** 'en' or a TOMCAT_LOCALES code. */
  lang: string;
  /** The format string as stored in TOMCAT_MESSAGES. */
  format: string;
  /** Placeholder numbers in the order they appear in the printed text, e.g. [1, 0] for ja ajpmessage.overflow. */
  placeholders: number[];
}

/**
 * The matcher of a key, built from all its wordings (English first, then each locale in TOMCAT_LOCALES order).
 *  - `needles`: substring pre-filter. For each wording, the longest literal run of the printed text
 *    (at least 6 characters, 4 when it has CJK characters; a wording without such a run contributes its longest
 *    run anyway, so the pre-filter never hides a wording), deduplicated, and a needle that contains another
 *    needle is dropped (the shorter one already admits every line the longer would).
 *  - `re`: one alternation of all wordings, every {N} a non-capturing lazy `(?:.*?)`: use it to test a line.
 *  - `res`: one RegExp per wording, same order as `wordings`, each {N} a named group `pN` (a second {N} of the
 *    same number is a back-reference). Named groups cannot repeat across alternatives in ES2022, hence one
 *    RegExp per wording. A placeholder printed between brackets (`[{0}]`, the 8.5.15+/9.0.0-M20+ style) takes
 *    text whose own brackets are balanced one level deep, so `[Connector[AJP/1.3-8009]]` gives
 *    `Connector[AJP/1.3-8009]` and a log prefix like `[main]` cannot be taken for the argument (zh_CN
 *    catalina.startup starts with `[{0}]`). Other placeholders: the last one greedy `(?<pN>.*)` (an exception
 *    text runs to the end of the line), the others lazy `(?<pN>.*?)`. Use matchMessage() to get the arguments
 *    by placeholder number whatever the language's order.
 * Literal parts are regex-escaped; leading/trailing whitespace of a wording (es abstractProtocolHandler.init ends
 * in "\n") is dropped; nothing is anchored, so a log prefix (timestamp, level, logger) may precede the message.
 *
 * Placeholder numbers callers need: ajpmessage.invalid {0} signature; ajpprocessor.header.tooLong {0} length,
 * {1} packetSize; ajpmessage.overflow {0} bytes, {1} position; ajpprocessor.unknownAttribute {0} attribute;
 * standardService.connector.*, lifecycleBase.* {0} component ("Connector[AJP/1.3-8009]");
 * abstractProtocolHandler.* {0} handler name ("\"ajp-nio-8009\"", or "ajp-8009" for the Coyote AJP/1.3 wording);
 * catalina.startup {0} milliseconds; standardService.stop.name {0} service; threadpool.busy {0} current threads,
 * {1} maxThreads; endpoint.info.maxThreads {0} maxThreads, {1} address, {2} port. Numbers come with the locale's
 * grouping (parse them like signals.ts javaInt()).
 */
export interface MessagePattern {
  needles: string[];
  re: RegExp;
  res: RegExp[];
  wordings: MessageWording[];
}

/** A printed wording: literal text and placeholders, in order. */
type Part = { lit: string } | { arg: number };

const PLACEHOLDER_RE = /\{(\d+)\}/;

/** Parses a format string the way Tomcat prints it: raw when it has no {N}, else java.text.MessageFormat rules. */
export function printedParts(format: string): Part[] {
  if (!PLACEHOLDER_RE.test(format)) return [{ lit: format }];
  const parts: Part[] = [];
  let lit = '';
  let quoted = false;
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === "'") {
      if (format[i + 1] === "'") {
        lit += "'";
        i++;
      } else {
        quoted = !quoted;
      }
      continue;
    }
    if (!quoted && c === '{') {
      const m = /^\{(\d+)(?:,[^}]*)?\}/.exec(format.slice(i));
      if (m) {
        if (lit) parts.push({ lit });
        lit = '';
        parts.push({ arg: Number(m[1]) });
        i += m[0].length - 1;
        continue;
      }
    }
    lit += c;
  }
  if (lit) parts.push({ lit });
  return parts;
}

/** The text Tomcat prints for `format` with these arguments (args[N] replaces {N}; numbers are not grouped). */
export function formatMessage(format: string, args: readonly string[]): string {
  return printedParts(format)
    .map((p) => ('lit' in p ? p.lit : (args[p.arg] ?? `{${p.arg}}`)))
    .join('');
}

function trimParts(parts: Part[]): Part[] {
  const out = parts.map((p) => ({ ...p }));
  const first = out[0];
  if (first && 'lit' in first) first.lit = first.lit.replace(/^\s+/, '');
  const last = out[out.length - 1];
  if (last && 'lit' in last) last.lit = last.lit.trimEnd();
  return out.filter((p) => !('lit' in p) || p.lit !== '');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const CJK_RE = /[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/;

/** Minimum needle length: 6 characters, 4 when the run has CJK characters. */
export function minNeedleLength(run: string): number {
  return CJK_RE.test(run) ? 4 : 6;
}

function needleOf(parts: Part[]): string {
  let best = '';
  for (const p of parts) if ('lit' in p && p.lit.length > best.length) best = p.lit;
  return best;
}

/** The text of a `[{N}]` argument: brackets inside it balanced one level deep (`Connector[AJP/1.3-8009]`). */
const BRACKETED = '[^\\[\\]]*(?:\\[[^\\[\\]]*\\][^\\[\\]]*)*';

function wordingSource(parts: Part[], capture: boolean): string {
  let lastArg = -1;
  parts.forEach((p, i) => {
    if ('arg' in p) lastArg = i;
  });
  const seen = new Set<number>();
  return parts
    .map((p, i) => {
      if ('lit' in p) return escapeRe(p.lit);
      if (!capture) return '(?:.*?)';
      if (seen.has(p.arg)) return `\\k<p${p.arg}>`;
      seen.add(p.arg);
      const before = parts[i - 1];
      const after = parts[i + 1];
      if (before && 'lit' in before && before.lit.endsWith('[') && after && 'lit' in after && after.lit.startsWith(']')) {
        return `(?<p${p.arg}>${BRACKETED})`;
      }
      return i === lastArg ? `(?<p${p.arg}>.*)` : `(?<p${p.arg}>.*?)`;
    })
    .join('');
}

/** All wordings of a key: English first, then each locale in TOMCAT_LOCALES order. */
export function messageWordings(key: string): MessageWording[] {
  const msg = TOMCAT_MESSAGES[key];
  if (!msg) throw new Error(`unknown Tomcat message key: ${key}`);
  const out: MessageWording[] = [];
  const add = (lang: string, formats: readonly string[]): void => {
    for (const format of formats) {
      const placeholders = printedParts(format).flatMap((p) => ('arg' in p ? [p.arg] : []));
      out.push({ lang, format, placeholders });
    }
  };
  add('en', msg.en);
  for (const lang of TOMCAT_LOCALES) add(lang, msg.translations[lang] ?? []);
  for (const [lang, formats] of Object.entries(msg.translations)) {
    if (!(TOMCAT_LOCALES as readonly string[]).includes(lang)) add(lang, formats);
  }
  return out;
}

const cache = new Map<string, MessagePattern>();

/** The needles and regular expressions matching every wording of `key` (see MessagePattern). Throws on an unknown key. */
export function messagePattern(key: string): MessagePattern {
  const hit = cache.get(key);
  if (hit) return hit;
  const wordings = messageWordings(key);
  const partsList = wordings.map((w) => trimParts(printedParts(w.format)));
  const all = [...new Set(partsList.map(needleOf).filter((n) => n !== ''))];
  const needles = all.filter((n) => !all.some((o) => o !== n && n.includes(o)));
  const alternatives = [...new Set(partsList.map((p) => wordingSource(p, false)))];
  const pattern: MessagePattern = {
    needles,
    re: new RegExp(alternatives.join('|')),
    res: partsList.map((p) => new RegExp(wordingSource(p, true))),
    wordings,
  };
  cache.set(key, pattern);
  return pattern;
}

/** A line matched against one wording of a key. */
export interface MessageMatch {
  lang: string;
  format: string;
  /** args[N] = the text printed for {N}, whatever the order of the placeholders in that language. */
  args: (string | undefined)[];
  /** Index of the match in the text. */
  index: number;
}

/**
 * The wording of `key` found in `text`, with its arguments by placeholder number. When several wordings match
 * (an older "… signature {0}" also matches a newer "… signature [514]"), the one with the most literal text wins,
 * then the earlier one (English first).
 */
export function matchMessage(key: string, text: string): MessageMatch | undefined {
  const p = messagePattern(key);
  if (!p.needles.some((n) => text.includes(n))) return undefined;
  let best: MessageMatch | undefined;
  let bestWeight = -1;
  for (let i = 0; i < p.res.length; i++) {
    const m = p.res[i].exec(text);
    if (!m) continue;
    const w = p.wordings[i];
    const weight = literalLength(w.format);
    if (weight <= bestWeight) continue;
    const args: (string | undefined)[] = [];
    for (const n of w.placeholders) args[n] = m.groups?.[`p${n}`];
    best = { lang: w.lang, format: w.format, args, index: m.index };
    bestWeight = weight;
  }
  return best;
}

function literalLength(format: string): number {
  let n = 0;
  for (const p of trimParts(printedParts(format))) if ('lit' in p) n += p.lit.length;
  return n;
}
