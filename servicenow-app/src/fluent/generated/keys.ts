import '@servicenow/sdk/global';

declare global {
  namespace Now {
    namespace Internal {
      interface Keys extends KeysRegistry {
        explicit: {
          'acl-category-policy-create': {
            table: 'sys_security_acl';
            id: '07c8a59fed4445918fb23cefd09b9d0d';
          };
          'acl-category-policy-delete': {
            table: 'sys_security_acl';
            id: '2ff95bece3db4bd3857675aedb2d8e3f';
          };
          'acl-category-policy-read': {
            table: 'sys_security_acl';
            id: '520499ebcf7c4e909199e6579a3b44da';
          };
          'acl-category-policy-write': {
            table: 'sys_security_acl';
            id: 'c62d1134480e4a498946f16bd5ae1257';
          };
          'acl-event-create': {
            table: 'sys_security_acl';
            id: '760fa38cc09144889de9fd6aa70a4505';
          };
          'acl-event-read': {
            table: 'sys_security_acl';
            id: 'f8a92123f85b4658b4501af5e7758c57';
          };
          'acl-rest-close': {
            table: 'sys_security_acl';
            id: '815f4d9ada9342adbe636b9f5684779b';
          };
          'acl-rest-events': {
            table: 'sys_security_acl';
            id: 'ce5746d9790b43b797421fa7091b8700';
          };
          'acl-rest-launch': {
            table: 'sys_security_acl';
            id: '1e09f965fdc34e479720df5e32e25bc6';
          };
          'acl-task-action-status-write': {
            table: 'sys_security_acl';
            id: 'a5d1ff02e4cd4cb3a62bd160e18cc3d9';
          };
          'acl-task-action-write': {
            table: 'sys_security_acl';
            id: '65a263e014c141a3873a50a9707f963b';
          };
          'acl-task-attention-write': {
            table: 'sys_security_acl';
            id: '942d5fd065a54df08d23d774f3b815d5';
          };
          'acl-task-details-url-write': {
            table: 'sys_security_acl';
            id: 'eb81aee5ff124354b2e3380716095ffe';
          };
          'acl-task-id-write': {
            table: 'sys_security_acl';
            id: '976df22b5a8d4adfb8c6a72ecaafd3f1';
          };
          'acl-task-read-integration': {
            table: 'sys_security_acl';
            id: 'edf207f4dc254269aef37606c0ec2fd5';
          };
          'acl-task-risk-level-write': {
            table: 'sys_security_acl';
            id: '17e03cf957504d0db337c92657291549';
          };
          'acl-task-status-write': {
            table: 'sys_security_acl';
            id: '845b7ece814c4d9aa43d31347f925c89';
          };
          'acl-task-verification-write': {
            table: 'sys_security_acl';
            id: '193241481bee46989d7c7f877bbd2b40';
          };
          'app-menu': {
            table: 'sys_app_application';
            id: '717a2624cac647b59767048dce491e7b';
          };
          'atf-bp-insert-required': {
            table: 'sys_atf_step';
            id: '29c731e7b6dd4dbdb13ed00dbe8735e9';
          };
          'atf-bp-insert-software': {
            table: 'sys_atf_step';
            id: '2057868886134b6fbfe26aea4f6b050c';
          };
          'atf-bp-move-in': {
            table: 'sys_atf_step';
            id: '939cce0e9c0042e6bd2ce65df05c06e8';
          };
          'atf-bp-move-out': {
            table: 'sys_atf_step';
            id: '8eb0cab0785f4dfd94aa8dc4ee80b892';
          };
          'atf-bp-user': {
            table: 'sys_atf_step';
            id: 'f9c03e47365c48a1bab7ed4088b7693c';
          };
          'atf-bp-validate-cleared': {
            table: 'sys_atf_step';
            id: 'd7f439637f874850b79ab6f35416b07e';
          };
          'atf-bp-validate-moved-in': {
            table: 'sys_atf_step';
            id: 'e3dc0753f12144b49841dd6e682c51fd';
          };
          'atf-bp-validate-required': {
            table: 'sys_atf_step';
            id: 'eedc75e182f54143a6b59ef3b036d4aa';
          };
          'atf-bp-validate-software': {
            table: 'sys_atf_step';
            id: '28663e4261084734beb14f3e7b67647f';
          };
          'atf-category-policy-rules': {
            table: 'sys_atf_test';
            id: '447edaf8ea5a44d39112fc4456f38db9';
          };
          'atf-events-api': {
            table: 'sys_atf_test';
            id: '4db4d3b66b604edb8aa77beba82b9f09';
          };
          'atf-events-applied': {
            table: 'sys_atf_step';
            id: 'be8d88110439482fb08362e21fb50c12';
          };
          'atf-events-duplicate': {
            table: 'sys_atf_step';
            id: '68846a18d6d54a0a91e0926f8897a532';
          };
          'atf-events-insert': {
            table: 'sys_atf_step';
            id: '7b0068ae42b64d0ea7deefbc454a4f74';
          };
          'atf-events-post': {
            table: 'sys_atf_step';
            id: '655c2e6ec901403db4bf0b6172becf6a';
          };
          'atf-events-post-status': {
            table: 'sys_atf_step';
            id: 'c7d28a6a3b1242f684a33343d8a1d480';
          };
          'atf-events-repeat': {
            table: 'sys_atf_step';
            id: 'ca6dd80c25a74ccda54987a90ba3d32d';
          };
          'atf-events-user': {
            table: 'sys_atf_step';
            id: '1879cd2afd7c4c8fbc306b2abcda42fe';
          };
          'atf-events-validate': {
            table: 'sys_atf_step';
            id: '05e23b2ffcb349758c7e3cbf3fbecfc0';
          };
          'atf-guard-admin': {
            table: 'sys_atf_step';
            id: 'e9708cbcba924a5d9d06506b4103814a';
          };
          'atf-guard-admin-resolve': {
            table: 'sys_atf_step';
            id: '95bbd5dff25d4d55a5325fdf4882a363';
          };
          'atf-guard-agent': {
            table: 'sys_atf_step';
            id: '5d50a032ae074162881b0938ba0f5d64';
          };
          'atf-guard-agent-resolve': {
            table: 'sys_atf_step';
            id: '8d7fdf8f2ca745d5b01510bce03ef19c';
          };
          'atf-guard-insert': {
            table: 'sys_atf_step';
            id: '5a446af2e61a4b15964b26bc691a4912';
          };
          'atf-guard-override-note': {
            table: 'sys_atf_step';
            id: 'ff1226667f714eca928c04e5f721a973';
          };
          'atf-guard-still-open': {
            table: 'sys_atf_step';
            id: 'd4f91afbd01049ac8167560c83e39bb2';
          };
          'atf-launch': {
            table: 'sys_atf_test';
            id: '096ac6b15ee64eed9349b77cdbae4dad';
          };
          'atf-launch-agent': {
            table: 'sys_atf_step';
            id: '68da9bfe08f64e36809e714521c7b784';
          };
          'atf-launch-insert': {
            table: 'sys_atf_step';
            id: '8fd749adf85f4265b13aac62068ad16f';
          };
          'atf-launch-location': {
            table: 'sys_atf_step';
            id: 'd8601bd1482748f0ad2a813c5fdc9322';
          };
          'atf-launch-request': {
            table: 'sys_atf_step';
            id: '4f6b4c34a07140ea912149130c075f03';
          };
          'atf-launch-status': {
            table: 'sys_atf_step';
            id: 'c0d8dd6ea1984088a0235a88cf00f1aa';
          };
          'atf-resolve-close-guard': {
            table: 'sys_atf_test';
            id: '818fe63589114f83b12664e5c4dfcf90';
          };
          bom_json: {
            table: 'sys_module';
            id: '4332778ed59a4b929ac0779011f8072a';
          };
          'br-apply-category-policy': {
            table: 'sys_script';
            id: '7f841e5974924f57a970fab315354c15';
          };
          'br-verification-guard': {
            table: 'sys_script';
            id: '0bf7fc1406b5453f9c5a277be344c593';
          };
          'module-category-policies': {
            table: 'sys_app_module';
            id: '2f1ea79ae2c94699ad273db38e67093d';
          };
          'module-properties': {
            table: 'sys_app_module';
            id: '9873798eac0f4d89adb8d5a1c254f24c';
          };
          package_json: {
            table: 'sys_module';
            id: '74af8789f7e8438bb41241067b8d7fa5';
          };
          'policy-access': {
            table: 'x_imper_verify_category_policy';
            id: '24590569a45c413e891ded4369a9066d';
          };
          'policy-account-unlock': {
            table: 'x_imper_verify_category_policy';
            id: 'f9a72dfcc4764aaaba016f49ca59d162';
          };
          'policy-password-reset': {
            table: 'x_imper_verify_category_policy';
            id: '872a9d873f2445c0b6717d6330ba0adf';
          };
          'property-guard-enabled': {
            table: 'sys_properties';
            id: 'a4100c8f7c914b018824287eab9d5fe2';
          };
          'property-launch-secret': {
            table: 'sys_properties';
            id: '8a25f3276daf49d1ace894bf4a783c58';
          };
          'property-launch-token-lifetime': {
            table: 'sys_properties';
            id: 'f90d0d19df1949aa8d7a9729da6ffc11';
          };
          'property-service-url': {
            table: 'sys_properties';
            id: '83178a38816c4b878606c82bf5a70011';
          };
          'rest-api-imper': {
            table: 'sys_ws_definition';
            id: 'a9746fca57434f898d2991d5740b1314';
          };
          'rest-route-close': {
            table: 'sys_ws_operation';
            id: '136da447ceb14aa98a12464f2c114e1f';
          };
          'rest-route-events': {
            table: 'sys_ws_operation';
            id: '1aed9dace79740ea8785a5f0ddc4315b';
          };
          'rest-route-launch': {
            table: 'sys_ws_operation';
            id: 'ccfba9296a774af0a35fb60e50b12a69';
          };
          'rest-route-launch-sys-id': {
            table: 'sys_ws_query_parameter';
            id: '5a9845daa7ff46f89ef6746e7e70b856';
          };
          'rest-route-launch-table': {
            table: 'sys_ws_query_parameter';
            id: '58f8b4e1d5f94d5e92cd91963c920aae';
          };
          src_server_base64url_ts: {
            table: 'sys_module';
            id: '00125d9074f042639a406cccb60b3a54';
          };
          'src_server_category-rule_ts': {
            table: 'sys_module';
            id: 'af8b38e4b88d475894fde5b6b89a3834';
          };
          src_server_close_ts: {
            table: 'sys_module';
            id: 'cbb986f3cc4447b19453a7cc9e8ee496';
          };
          src_server_constants_ts: {
            table: 'sys_module';
            id: '0d0904359bc34c58b438a42de4a42084';
          };
          src_server_events_ts: {
            table: 'sys_module';
            id: '60bce88ca04b48f4a02217d887740793';
          };
          src_server_guard_ts: {
            table: 'sys_module';
            id: 'f76dd3ff5c154adea7664191e0b07fd7';
          };
          src_server_instance_ts: {
            table: 'sys_module';
            id: '3d129466afd740689789bd6d95bace9b';
          };
          src_server_launch_ts: {
            table: 'sys_module';
            id: '765dbdac9c0641b19d0f31c4c2baa831';
          };
          src_server_policy_ts: {
            table: 'sys_module';
            id: 'c1e12f42448640ac9d4eb93e0fa4202e';
          };
          src_server_rest_ts: {
            table: 'sys_module';
            id: '32b4e373b7244df78b66a6c9ddd08d47';
          };
          'ui-action-send-verification-link': {
            table: 'sys_ui_action';
            id: 'b6323ed9da2b4d739ef3aa896d9b76f5';
          };
        };
        composite: [
          {
            table: 'sys_variable_value';
            id: '009a4cd76a07446ea8ceb3cd76d86bbd';
            key: {
              document_key: 'ca6dd80c25a74ccda54987a90ba3d32d';
              variable: '59877da10b3222000b7da95e93673a56';
            };
          },
          {
            table: 'sys_variable_value';
            id: '013e1eb1cfec46b2845c27be82263e7b';
            key: {
              document_key: '8fd749adf85f4265b13aac62068ad16f';
              variable: 'dd54cf535320220002c6435723dc34fd';
            };
          },
          {
            table: 'sys_documentation';
            id: '01a917e714b149ecad92e3e1eedf01c2';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'order';
              language: 'en';
            };
          },
          {
            table: 'sys_variable_value';
            id: '026ad04b569d48d4a95a0ea8de7d8ec6';
            key: {
              document_key: '95bbd5dff25d4d55a5325fdf4882a363';
              variable: '334b7bb7675003007ba405225685ef72';
            };
          },
          {
            table: 'sys_ui_element';
            id: '02de1030951b40d28fa386dd638675cc';
            key: {
              sys_ui_section: {
                id: '86fc8d6dfd2040f389ab17585f20de7a';
                key: {
                  name: 'incident';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: '.end_split';
              position: '9';
            };
          },
          {
            table: 'sys_element_mapping';
            id: '03541b9144514f4f90cfd6cd8e49922e';
            key: {
              field: 'record_id';
              table: 'var__m_atf_input_variable_1f39a288df60220062fe6c7a4df2639d';
              id: '05e23b2ffcb349758c7e3cbf3fbecfc0';
            };
          },
          {
            table: 'sys_choice';
            id: '0361bec48f53445996975821db65c372';
            key: {
              name: 'task';
              element: 'x_imper_verify_action';
              value: 'password_reset';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_dictionary';
            id: '03921dd8ccaf4fa79bdffab25b42510e';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'category';
            };
          },
          {
            table: 'sys_variable_value';
            id: '04004c3681d849e8ac19852e8540d9c4';
            key: {
              document_key: '28663e4261084734beb14f3e7b67647f';
              variable: '6aad5a575360220002c6435723dc34b0';
            };
          },
          {
            table: 'sys_documentation';
            id: '053aaeb85e1e4a5da6c711f389f9e743';
            key: {
              name: 'task';
              element: 'NULL';
              language: 'en';
            };
          },
          {
            table: 'sys_user_role';
            id: '05c927ca75ca453abce8cfcdf0ca4ffe';
            key: {
              name: 'x_imper_verify.admin';
            };
          },
          {
            table: 'sys_dictionary';
            id: '061f10e1050a401082dd1143ffacfb99';
            key: {
              name: 'task';
              element: 'x_imper_verify_attention';
            };
          },
          {
            table: 'sys_choice';
            id: '0667c00a5c6349d88e8896a8bbc199bc';
            key: {
              name: 'task';
              element: 'x_imper_verify_status';
              value: 'timed_out';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_variable_value';
            id: '09aa13b8224143b78006a1746111d325';
            key: {
              document_key: 'f9c03e47365c48a1bab7ed4088b7693c';
              variable: '1985e0ceff2433008d3f5d9ad53bf1ba';
            };
          },
          {
            table: 'sys_variable_value';
            id: '09dc308c0c254b258df8adb57a83ddb3';
            key: {
              document_key: 'ff1226667f714eca928c04e5f721a973';
              variable: '915990ab531000109e02ddeeff7b12f8';
            };
          },
          {
            table: 'sys_choice';
            id: '0a340bd46076447c92508efcf2fd2ac6';
            key: {
              name: 'task';
              element: 'x_imper_verify_action_status';
              value: 'failed';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_variable_value';
            id: '0b0478390488424aa8729bb8f42e033a';
            key: {
              document_key: 'ff1226667f714eca928c04e5f721a973';
              variable: '02fb0027531000109e02ddeeff7b120b';
            };
          },
          {
            table: 'sys_variable_value';
            id: '0b36544135144c41abf7073d05d6f167';
            key: {
              document_key: 'e3dc0753f12144b49841dd6e682c51fd';
              variable: 'ff6e125353a0220002c6435723dc3442';
            };
          },
          {
            table: 'sys_ui_element';
            id: '0d610d1d8a8f4f9983235c50c7130f07';
            key: {
              sys_ui_section: {
                id: '86fc8d6dfd2040f389ab17585f20de7a';
                key: {
                  name: 'incident';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_attention';
              position: '6';
            };
          },
          {
            table: 'sys_dictionary';
            id: '0d7bff69a19a4e84a5958b29a91e6673';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'requires_verification';
            };
          },
          {
            table: 'sys_variable_value';
            id: '0db233525a004580b89c1d134a56cb4b';
            key: {
              document_key: 'ca6dd80c25a74ccda54987a90ba3d32d';
              variable: '50bff9250b3222000b7da95e93673a9b';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '0dea23bec4244660970b630e92cd0f22';
            key: {
              sys_security_acl: 'edf207f4dc254269aef37606c0ec2fd5';
              sys_user_role: {
                id: 'dd945cd0db244dbc9a641ff464e3442b';
                key: {
                  name: 'x_imper_verify.integration';
                };
              };
            };
          },
          {
            table: 'sys_variable_value';
            id: '0df4779196834812ae83e8cbeb243854';
            key: {
              document_key: '8d7fdf8f2ca745d5b01510bce03ef19c';
              variable: '334b7bb7675003007ba405225685ef72';
            };
          },
          {
            table: 'sys_variable_value';
            id: '0e55835593cc4d8fbeeeea7493d46add';
            key: {
              document_key: '29c731e7b6dd4dbdb13ed00dbe8735e9';
              variable: 'dd54cf535320220002c6435723dc34fd';
            };
          },
          {
            table: 'sys_variable_value';
            id: '0e801f4a8177436f8689d9a6b1f6bf20';
            key: {
              document_key: '2057868886134b6fbfe26aea4f6b050c';
              variable: 'e6e3c7535320220002c6435723dc3496';
            };
          },
          {
            table: 'sys_variable_value';
            id: '0ebdde7e9d6748b0a21e34a3c3ddfe82';
            key: {
              document_key: '5d50a032ae074162881b0938ba0f5d64';
              variable: '6f69fc4aff6433008d3f5d9ad53bf18c';
            };
          },
          {
            table: 'sys_dictionary';
            id: '0f6468849bf0472d94852f685ce80ee4';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'task_table';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '0f7e1b62c453452ebd376ea78c8da185';
            key: {
              sys_security_acl: '1e09f965fdc34e479720df5e32e25bc6';
              sys_user_role: {
                id: '199a7f76d32e46d9adce58792c351316';
                key: {
                  name: 'itil';
                };
              };
            };
          },
          {
            table: 'sys_ui_element';
            id: '1088642c70734ad49776a81e70ff9683';
            key: {
              sys_ui_section: {
                id: 'c9932dd940714977a330a6da77753c05';
                key: {
                  name: 'task';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_action';
              position: '7';
            };
          },
          {
            table: 'sys_variable_value';
            id: '10fb58413d2846f39a998cc446008645';
            key: {
              document_key: 'be8d88110439482fb08362e21fb50c12';
              variable: '7b139c199f132200ef4afa7dc67fcfb3';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '111e1606a6a0446b89edbc57d1451893';
            key: {
              sys_security_acl: 'ce5746d9790b43b797421fa7091b8700';
              sys_user_role: {
                id: 'dd945cd0db244dbc9a641ff464e3442b';
                key: {
                  name: 'x_imper_verify.integration';
                };
              };
            };
          },
          {
            table: 'sys_variable_value';
            id: '12362fc968614f91b6bf48472839bc37';
            key: {
              document_key: '28663e4261084734beb14f3e7b67647f';
              variable: '52ed1e5b5360220002c6435723dc3421';
            };
          },
          {
            table: 'sys_variable_value';
            id: '144a78a8a4fb4f55a1d27f1975f95d96';
            key: {
              document_key: '7b0068ae42b64d0ea7deefbc454a4f74';
              variable: '90144b535320220002c6435723dc3488';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '17e9651667174bbaabacac1c9c8ce9de';
            key: {
              sys_security_acl: '845b7ece814c4d9aa43d31347f925c89';
              sys_user_role: {
                id: 'dd945cd0db244dbc9a641ff464e3442b';
                key: {
                  name: 'x_imper_verify.integration';
                };
              };
            };
          },
          {
            table: 'sys_dictionary';
            id: '187b0d6f837244958022780619e8ba63';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'order';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '19a152afb2d3448bbdfce4bb3308905a';
            key: {
              sys_security_acl: 'a5d1ff02e4cd4cb3a62bd160e18cc3d9';
              sys_user_role: {
                id: 'dd945cd0db244dbc9a641ff464e3442b';
                key: {
                  name: 'x_imper_verify.integration';
                };
              };
            };
          },
          {
            table: 'sys_documentation';
            id: '19a1f7e6cf124ec68bb5dac4f9033ff7';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'category';
              language: 'en';
            };
          },
          {
            table: 'sys_variable_value';
            id: '1eb7a2491ada44d69fcf628392fcd0cc';
            key: {
              document_key: '5a446af2e61a4b15964b26bc691a4912';
              variable: '90144b535320220002c6435723dc3488';
            };
          },
          {
            table: 'sys_variable_value';
            id: '1f2ac5841d75400a8e9610dcb9ad2007';
            key: {
              document_key: '8fd749adf85f4265b13aac62068ad16f';
              variable: '90144b535320220002c6435723dc3488';
            };
          },
          {
            table: 'sys_ui_element';
            id: '1f47473dd21149f19382c770e6932e69';
            key: {
              sys_ui_section: {
                id: 'c9932dd940714977a330a6da77753c05';
                key: {
                  name: 'task';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_status';
              position: '2';
            };
          },
          {
            table: 'sys_variable_value';
            id: '209aa52a79e54c60804bbf423b17ba5c';
            key: {
              document_key: '8d7fdf8f2ca745d5b01510bce03ef19c';
              variable: '53fb0f535320220002c6435723dc34ec';
            };
          },
          {
            table: 'sys_ui_element';
            id: '2137ee4ebfec41538895ff17f181b1e2';
            key: {
              sys_ui_section: {
                id: 'c9932dd940714977a330a6da77753c05';
                key: {
                  name: 'task';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_id';
              position: '4';
            };
          },
          {
            table: 'sys_dictionary';
            id: '21ee052f35734581954e509c840b314b';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'auto_close';
            };
          },
          {
            table: 'sys_dictionary';
            id: '228612af4bd14009a5269ac2d135aed8';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'subcategory';
            };
          },
          {
            table: 'sys_variable_value';
            id: '22de391f1479409e827ea67968fe7ae4';
            key: {
              document_key: '68846a18d6d54a0a91e0926f8897a532';
              variable: '5a9258199f132200ef4afa7dc67fcfb4';
            };
          },
          {
            table: 'sys_choice_set';
            id: '23e6240749ad4b6da4c379a15ae7213d';
            key: {
              name: 'task';
              element: 'x_imper_verify_status';
            };
          },
          {
            table: 'sys_dictionary';
            id: '259718b12e274fe3a46db500d07fbb3f';
            key: {
              name: 'x_imper_verify_event';
              element: 'NULL';
            };
          },
          {
            table: 'sys_variable_value';
            id: '279a59ab243f4c4e9756a3d850eabb2e';
            key: {
              document_key: 'd4f91afbd01049ac8167560c83e39bb2';
              variable: 'ff6e125353a0220002c6435723dc3442';
            };
          },
          {
            table: 'sys_documentation';
            id: '28c0f3bf33ed4919abac77119d6a7031';
            key: {
              name: 'task';
              element: 'x_imper_verify_risk_level';
              language: 'en';
            };
          },
          {
            table: 'sys_variable_value';
            id: '292f3ca6fcdb4124b71bb761a43258dd';
            key: {
              document_key: '1879cd2afd7c4c8fbc306b2abcda42fe';
              variable: '8c07aba5ff6033008d3f5d9ad53bf13b';
            };
          },
          {
            table: 'sys_ui_element';
            id: '29e7c4e566204be39657b5c5b842dfc1';
            key: {
              sys_ui_section: {
                id: 'df42b587fa5648cd978448ac70757ebc';
                key: {
                  name: 'sc_req_item';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_status';
              position: '2';
            };
          },
          {
            table: 'sys_ui_element';
            id: '2a363f36169a4ba28c0447b67e4ca96f';
            key: {
              sys_ui_section: {
                id: 'df42b587fa5648cd978448ac70757ebc';
                key: {
                  name: 'sc_req_item';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_verification';
              position: '1';
            };
          },
          {
            table: 'sys_variable_value';
            id: '2a3765c8e19e4e81ab86a7e3c999c4bb';
            key: {
              document_key: '655c2e6ec901403db4bf0b6172becf6a';
              variable: '59877da10b3222000b7da95e93673a56';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '2a7cd69904b846398edc15cdc046dddf';
            key: {
              sys_security_acl: '760fa38cc09144889de9fd6aa70a4505';
              sys_user_role: {
                id: '05c927ca75ca453abce8cfcdf0ca4ffe';
                key: {
                  name: 'x_imper_verify.admin';
                };
              };
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '2b18bf1403ec49b7ae72f08c60a19e8d';
            key: {
              sys_security_acl: '520499ebcf7c4e909199e6579a3b44da';
              sys_user_role: {
                id: 'c3295cdf4c924fa1851c8d8548bd4f0e';
                key: {
                  name: 'x_imper_verify.agent';
                };
              };
            };
          },
          {
            table: 'sys_variable_value';
            id: '2c7638a5e99d47c4a6d5641a2da44dc4';
            key: {
              document_key: '68846a18d6d54a0a91e0926f8897a532';
              variable: '7b139c199f132200ef4afa7dc67fcfb3';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '2ce7272ceabb4bc5ba7f95b12d9371d8';
            key: {
              sys_security_acl: '1e09f965fdc34e479720df5e32e25bc6';
              sys_user_role: {
                id: '05c927ca75ca453abce8cfcdf0ca4ffe';
                key: {
                  name: 'x_imper_verify.admin';
                };
              };
            };
          },
          {
            table: 'sys_variable_value';
            id: '2cf46d75e25a4e6a8c1fe6ec93ba748f';
            key: {
              document_key: '05e23b2ffcb349758c7e3cbf3fbecfc0';
              variable: '67400008676003007ba405225685efa4';
            };
          },
          {
            table: 'sys_documentation';
            id: '2dd288d4ff2b41429cc9da1b3ce61650';
            key: {
              name: 'task';
              element: 'x_imper_verify_verification';
              language: 'en';
            };
          },
          {
            table: 'sys_choice';
            id: '2e4524261d134aaf92e1aac35b53a539';
            key: {
              name: 'task';
              element: 'x_imper_verify_action_status';
              value: 'not_started';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '2f34359b53b743cb81e0a7472a168c26';
            key: {
              sys_security_acl: '17e03cf957504d0db337c92657291549';
              sys_user_role: {
                id: 'dd945cd0db244dbc9a641ff464e3442b';
                key: {
                  name: 'x_imper_verify.integration';
                };
              };
            };
          },
          {
            table: 'sys_choice';
            id: '2f5444fbab95400c947aa40f203adcc6';
            key: {
              name: 'task';
              element: 'x_imper_verify_risk_level';
              value: 'high';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_variable_value';
            id: '2fa8e320856642bf86de6c7182ad4f14';
            key: {
              document_key: 'e9708cbcba924a5d9d06506b4103814a';
              variable: '8c07aba5ff6033008d3f5d9ad53bf13b';
            };
          },
          {
            table: 'sys_variable_value';
            id: '323b4af8888646fab9b10c0d146f7d9b';
            key: {
              document_key: '95bbd5dff25d4d55a5325fdf4882a363';
              variable: 'bc4c43935320220002c6435723dc34a2';
            };
          },
          {
            table: 'sys_variable_value';
            id: '3295f3a9483946039fa9ad9502e93ace';
            key: {
              document_key: '4f6b4c34a07140ea912149130c075f03';
              variable: '59877da10b3222000b7da95e93673a56';
            };
          },
          {
            table: 'sys_variable_value';
            id: '32b455fadb1d4c44ba2a4893912b837a';
            key: {
              document_key: '8eb0cab0785f4dfd94aa8dc4ee80b892';
              variable: '501c8f535320220002c6435723dc34da';
            };
          },
          {
            table: 'sys_variable_value';
            id: '32f6af6685434e8fa3167e9bb413d251';
            key: {
              document_key: '8eb0cab0785f4dfd94aa8dc4ee80b892';
              variable: '334b7bb7675003007ba405225685ef72';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '348098a5cb7e43e69117e8878f4b8bae';
            key: {
              sys_security_acl: '942d5fd065a54df08d23d774f3b815d5';
              sys_user_role: {
                id: '05c927ca75ca453abce8cfcdf0ca4ffe';
                key: {
                  name: 'x_imper_verify.admin';
                };
              };
            };
          },
          {
            table: 'sys_variable_value';
            id: '34bb1d6b03314e88a7aa0f42ab6da44e';
            key: {
              document_key: 'be8d88110439482fb08362e21fb50c12';
              variable: '2db298199f132200ef4afa7dc67fcfbc';
            };
          },
          {
            table: 'sys_variable_value';
            id: '353bf9a1347e4487a0076c62ec868645';
            key: {
              document_key: 'ca6dd80c25a74ccda54987a90ba3d32d';
              variable: '020a6af09fd32200ef4afa7dc67fcfec';
            };
          },
          {
            table: 'sys_dictionary';
            id: '35ff63161bdf44f78a98f89d72263b18';
            key: {
              name: 'task';
              element: 'x_imper_verify_id';
            };
          },
          {
            table: 'sys_ui_element';
            id: '3630f6d761344ba6873f60ecd8e54846';
            key: {
              sys_ui_section: {
                id: 'c9932dd940714977a330a6da77753c05';
                key: {
                  name: 'task';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: '.begin_split';
              position: '0';
            };
          },
          {
            table: 'sys_ui_element';
            id: '370e800909cb4cb59fcd064b1368c033';
            key: {
              sys_ui_section: {
                id: 'df42b587fa5648cd978448ac70757ebc';
                key: {
                  name: 'sc_req_item';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: '.end_split';
              position: '9';
            };
          },
          {
            table: 'sys_variable_value';
            id: '37c2d3fd0770486bbaf60f8e1854797d';
            key: {
              document_key: '939cce0e9c0042e6bd2ce65df05c06e8';
              variable: '46dbcb535320220002c6435723dc3409';
            };
          },
          {
            table: 'sys_variable_value';
            id: '37d549d9ef804aa5b232f22d6e69e624';
            key: {
              document_key: '5d50a032ae074162881b0938ba0f5d64';
              variable: 'b27b2b29ff6033008d3f5d9ad53bf164';
            };
          },
          {
            table: 'sys_element_mapping';
            id: '38d58c18b87249309e16d50019c9ae93';
            key: {
              field: 'request_body';
              table: 'var__m_atf_input_variable_e00571a10b3222000b7da95e93673a8f';
              id: '655c2e6ec901403db4bf0b6172becf6a';
            };
          },
          {
            table: 'sys_variable_value';
            id: '39b4ae448f3f4de6afa0540617b146df';
            key: {
              document_key: '655c2e6ec901403db4bf0b6172becf6a';
              variable: '89ad06b543010210b6f9a0246bb8f2d7';
            };
          },
          {
            table: 'sys_choice';
            id: '39ead7c900404eadbb78e7adb48e65cc';
            key: {
              name: 'task';
              element: 'x_imper_verify_status';
              value: 'passed';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_variable_value';
            id: '3a5dc7177a484f86b83ec8f7671ed193';
            key: {
              document_key: '68da9bfe08f64e36809e714521c7b784';
              variable: '1985e0ceff2433008d3f5d9ad53bf1ba';
            };
          },
          {
            table: 'sys_variable_value';
            id: '3b3498fd9801400d9d63878208682ef0';
            key: {
              document_key: 'eedc75e182f54143a6b59ef3b036d4aa';
              variable: 'ff6e125353a0220002c6435723dc3442';
            };
          },
          {
            table: 'sys_variable_value';
            id: '3b46d50cd2374d409dedaf28f3b09e4a';
            key: {
              document_key: '1879cd2afd7c4c8fbc306b2abcda42fe';
              variable: '6f69fc4aff6433008d3f5d9ad53bf18c';
            };
          },
          {
            table: 'sys_choice';
            id: '3b628e04b7d24a95b3eb720679d53c81';
            key: {
              name: 'task';
              element: 'x_imper_verify_risk_level';
              value: 'verified';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_variable_value';
            id: '3c974cbbfc8544f6ad4683cdd74b7ce7';
            key: {
              document_key: 'ff1226667f714eca928c04e5f721a973';
              variable: 'b86c0427531000109e02ddeeff7b1227';
            };
          },
          {
            table: 'sys_variable_value';
            id: '3dc453107fd04f2b8647288a7aeac73e';
            key: {
              document_key: '7b0068ae42b64d0ea7deefbc454a4f74';
              variable: '9024a37f671003007ba405225685efe5';
            };
          },
          {
            table: 'sys_documentation';
            id: '3eeaf9bac8414defbcdd47aa3a48b4f5';
            key: {
              name: 'x_imper_verify_event';
              element: 'ticket_table';
              language: 'en';
            };
          },
          {
            table: 'sys_variable_value';
            id: '3f6635e69d034d60a357b609b5ee3a99';
            key: {
              document_key: 'e9708cbcba924a5d9d06506b4103814a';
              variable: '6f69fc4aff6433008d3f5d9ad53bf18c';
            };
          },
          {
            table: 'sys_ui_element';
            id: '40aaf58de02f4578a68257697f22bbee';
            key: {
              sys_ui_section: {
                id: '86fc8d6dfd2040f389ab17585f20de7a';
                key: {
                  name: 'incident';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_verification';
              position: '1';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '40d82e23f9c54415b2f29d4c98e371fa';
            key: {
              sys_security_acl: '193241481bee46989d7c7f877bbd2b40';
              sys_user_role: {
                id: 'dd945cd0db244dbc9a641ff464e3442b';
                key: {
                  name: 'x_imper_verify.integration';
                };
              };
            };
          },
          {
            table: 'sys_choice';
            id: '4112873ead544e1abb3bdcd035d5a0bd';
            key: {
              name: 'task';
              element: 'x_imper_verify_status';
              value: 'canceled';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_documentation';
            id: '422f6eee451146b1a2b465745b3e9cdd';
            key: {
              name: 'task';
              element: 'x_imper_verify_attention';
              language: 'en';
            };
          },
          {
            table: 'sys_variable_value';
            id: '42b6381ca0934239b33e8421d3f57b60';
            key: {
              document_key: '29c731e7b6dd4dbdb13ed00dbe8735e9';
              variable: '9024a37f671003007ba405225685efe5';
            };
          },
          {
            table: 'sys_ui_element';
            id: '43c2a914a72c47658e64d1ff9f67e184';
            key: {
              sys_ui_section: {
                id: 'df42b587fa5648cd978448ac70757ebc';
                key: {
                  name: 'sc_req_item';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_id';
              position: '4';
            };
          },
          {
            table: 'sys_documentation';
            id: '43f6b3b827094b31ac5056c75c12fe0f';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'requires_verification';
              language: 'en';
            };
          },
          {
            table: 'sys_variable_value';
            id: '446fdb2e115b435fbd0f13f4c045b3c9';
            key: {
              document_key: '939cce0e9c0042e6bd2ce65df05c06e8';
              variable: '53fb0f535320220002c6435723dc34ec';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '44dc2fdb53d842e7aa2c2cb2aaed8769';
            key: {
              sys_security_acl: '1e09f965fdc34e479720df5e32e25bc6';
              sys_user_role: {
                id: 'c3295cdf4c924fa1851c8d8548bd4f0e';
                key: {
                  name: 'x_imper_verify.agent';
                };
              };
            };
          },
          {
            table: 'sys_variable_value';
            id: '4694f2a380414d698960a577c5a38fc1';
            key: {
              document_key: '655c2e6ec901403db4bf0b6172becf6a';
              variable: '81e042650b3222000b7da95e93673aa2';
            };
          },
          {
            table: 'sys_ui_element';
            id: '473559a3410b48c2ba1e4bc141287761';
            key: {
              sys_ui_section: {
                id: '86fc8d6dfd2040f389ab17585f20de7a';
                key: {
                  name: 'incident';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_id';
              position: '4';
            };
          },
          {
            table: 'sys_element_mapping';
            id: '474ff58265fb44be9479d5b06d0e0c2c';
            key: {
              field: 'record_id';
              table: 'var__m_atf_input_variable_1f39a288df60220062fe6c7a4df2639d';
              id: 'eedc75e182f54143a6b59ef3b036d4aa';
            };
          },
          {
            table: 'sys_variable_value';
            id: '4834343bfe234075ab1a8619561bdd10';
            key: {
              document_key: 'e3dc0753f12144b49841dd6e682c51fd';
              variable: 'cbddfa135320220002c6435723dc3415';
            };
          },
          {
            table: 'sys_choice';
            id: '48e219f1697540ae95bacef6ff41fdb6';
            key: {
              name: 'task';
              element: 'x_imper_verify_action';
              value: 'none';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_choice';
            id: '498d24f115d74ba9aeed1eb406c672d6';
            key: {
              name: 'task';
              element: 'x_imper_verify_risk_level';
              value: 'medium';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_variable_value';
            id: '4a73ed867335490cab54e8ecd50334d4';
            key: {
              document_key: 'e9708cbcba924a5d9d06506b4103814a';
              variable: '1778a7480f20101091d0f00c97767e03';
            };
          },
          {
            table: 'sys_variable_value';
            id: '4d75e237697748a7b869d0e7407a5412';
            key: {
              document_key: '1879cd2afd7c4c8fbc306b2abcda42fe';
              variable: 'b27b2b29ff6033008d3f5d9ad53bf164';
            };
          },
          {
            table: 'sys_variable_value';
            id: '4e2c4d47d16c4f2a841f9c07c0ae3b11';
            key: {
              document_key: 'e3dc0753f12144b49841dd6e682c51fd';
              variable: '67400008676003007ba405225685efa4';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '4e394e851403432bb7c0e7de8fb5729d';
            key: {
              sys_security_acl: '942d5fd065a54df08d23d774f3b815d5';
              sys_user_role: {
                id: 'dd945cd0db244dbc9a641ff464e3442b';
                key: {
                  name: 'x_imper_verify.integration';
                };
              };
            };
          },
          {
            table: 'sys_variable_value';
            id: '4e4b9899d4ff4338aa785b62d13f18c5';
            key: {
              document_key: '05e23b2ffcb349758c7e3cbf3fbecfc0';
              variable: '6aad5a575360220002c6435723dc34b0';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '4e60cb28efd64c8eb85b1c4da38c7eee';
            key: {
              sys_security_acl: '65a263e014c141a3873a50a9707f963b';
              sys_user_role: {
                id: '05c927ca75ca453abce8cfcdf0ca4ffe';
                key: {
                  name: 'x_imper_verify.admin';
                };
              };
            };
          },
          {
            table: 'sys_ui_element';
            id: '5332c9fafb41485fa8cdd5111ce2d898';
            key: {
              sys_ui_section: {
                id: 'c9932dd940714977a330a6da77753c05';
                key: {
                  name: 'task';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: '.split';
              position: '5';
            };
          },
          {
            table: 'sys_dictionary';
            id: '53ba664518314354a181e5ad562c0a23';
            key: {
              name: 'task';
              element: 'x_imper_verify_action_status';
            };
          },
          {
            table: 'sys_variable_value';
            id: '5474c139e09c463c9c4a937cdd55d478';
            key: {
              document_key: 'c7d28a6a3b1242f684a33343d8a1d480';
              variable: '1d94cb1f3b8032000774229c93efc419';
            };
          },
          {
            table: 'sys_dictionary';
            id: '54aa3620acb94baba58bbbacdd2080c6';
            key: {
              name: 'task';
              element: 'x_imper_verify_risk_level';
            };
          },
          {
            table: 'sys_variable_value';
            id: '54b79e5a482044fd80ee5f2083c03b50';
            key: {
              document_key: '29c731e7b6dd4dbdb13ed00dbe8735e9';
              variable: 'e6e3c7535320220002c6435723dc3496';
            };
          },
          {
            table: 'sys_variable_value';
            id: '54ed1d2d710b4dc692665105339979a4';
            key: {
              document_key: 'f9c03e47365c48a1bab7ed4088b7693c';
              variable: 'b27b2b29ff6033008d3f5d9ad53bf164';
            };
          },
          {
            table: 'sys_variable_value';
            id: '568f17fc553242fcbf8ac41f42740886';
            key: {
              document_key: 'd8601bd1482748f0ad2a813c5fdc9322';
              variable: '416784919f132200ef4afa7dc67fcff4';
            };
          },
          {
            table: 'sys_dictionary';
            id: '57b4c93a11fa43258bc61d96c7afa6e1';
            key: {
              name: 'task';
              element: 'x_imper_verify_details_url';
            };
          },
          {
            table: 'sys_element_mapping';
            id: '57e2fcab355044c9a9cae2b31bbce984';
            key: {
              field: 'record_id';
              table: 'var__m_atf_input_variable_17a72288df60220062fe6c7a4df26397';
              id: '8eb0cab0785f4dfd94aa8dc4ee80b892';
            };
          },
          {
            table: 'sys_variable_value';
            id: '58507890f2b54ef998285e025f0fb592';
            key: {
              document_key: '68da9bfe08f64e36809e714521c7b784';
              variable: 'b27b2b29ff6033008d3f5d9ad53bf164';
            };
          },
          {
            table: 'sys_variable_value';
            id: '58b40fbd28fd4286895be181065ef148';
            key: {
              document_key: '29c731e7b6dd4dbdb13ed00dbe8735e9';
              variable: '90144b535320220002c6435723dc3488';
            };
          },
          {
            table: 'sys_variable_value';
            id: '5ae4ed2ee1314171b3847a50feb98252';
            key: {
              document_key: '7b0068ae42b64d0ea7deefbc454a4f74';
              variable: 'e6e3c7535320220002c6435723dc3496';
            };
          },
          {
            table: 'sys_variable_value';
            id: '5d29110831e341209701ffad171f8676';
            key: {
              document_key: '939cce0e9c0042e6bd2ce65df05c06e8';
              variable: 'bc4c43935320220002c6435723dc34a2';
            };
          },
          {
            table: 'sys_variable_value';
            id: '5dda3e11af8c4639b6caeedc219c0e9f';
            key: {
              document_key: '939cce0e9c0042e6bd2ce65df05c06e8';
              variable: '501c8f535320220002c6435723dc34da';
            };
          },
          {
            table: 'sys_documentation';
            id: '5deaba5e835d47009ee7ae4ac6d4bdf1';
            key: {
              name: 'task';
              element: 'x_imper_verify_action';
              language: 'en';
            };
          },
          {
            table: 'sys_ui_element';
            id: '5df30ce3486b4d8caa863c6c8a92cdd5';
            key: {
              sys_ui_section: {
                id: 'c9932dd940714977a330a6da77753c05';
                key: {
                  name: 'task';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_action_status';
              position: '8';
            };
          },
          {
            table: 'sys_user_role_contains';
            id: '60c8e8d7607a45cdb71e922b3b98a7d7';
            key: {
              role: {
                id: '05c927ca75ca453abce8cfcdf0ca4ffe';
                key: {
                  name: 'x_imper_verify.admin';
                };
              };
              contains: {
                id: 'c3295cdf4c924fa1851c8d8548bd4f0e';
                key: {
                  name: 'x_imper_verify.agent';
                };
              };
            };
          },
          {
            table: 'sys_choice_set';
            id: '60f4265653954f269ce90c971e13005e';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'action';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '615175f511ad45298c078a80f16e113f';
            key: {
              sys_security_acl: '17e03cf957504d0db337c92657291549';
              sys_user_role: {
                id: '05c927ca75ca453abce8cfcdf0ca4ffe';
                key: {
                  name: 'x_imper_verify.admin';
                };
              };
            };
          },
          {
            table: 'sys_variable_value';
            id: '631b9c68d0414e5a90a372934518e4b4';
            key: {
              document_key: '8eb0cab0785f4dfd94aa8dc4ee80b892';
              variable: '53fb0f535320220002c6435723dc34ec';
            };
          },
          {
            table: 'sys_variable_value';
            id: '63db4ffae1a94dd49a193e972c315d20';
            key: {
              document_key: '7b0068ae42b64d0ea7deefbc454a4f74';
              variable: 'dd54cf535320220002c6435723dc34fd';
            };
          },
          {
            table: 'sys_variable_value';
            id: '6586950e8e6047d1a4286309c0455b4e';
            key: {
              document_key: 'ca6dd80c25a74ccda54987a90ba3d32d';
              variable: '81e042650b3222000b7da95e93673aa2';
            };
          },
          {
            table: 'sys_choice';
            id: '658e981ea0964dfca6382bdfd1205f82';
            key: {
              name: 'task';
              element: 'x_imper_verify_action';
              value: 'mfa_reset';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_variable_value';
            id: '65cfb245aaed4268a448aa468498d6b2';
            key: {
              document_key: '4f6b4c34a07140ea912149130c075f03';
              variable: '58408e250b3222000b7da95e93673a5c';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '65f3946a44524100a393d932a4b4fc8f';
            key: {
              sys_security_acl: '760fa38cc09144889de9fd6aa70a4505';
              sys_user_role: {
                id: 'dd945cd0db244dbc9a641ff464e3442b';
                key: {
                  name: 'x_imper_verify.integration';
                };
              };
            };
          },
          {
            table: 'sys_variable_value';
            id: '67d9327cb13e4bbeb294e93f550461eb';
            key: {
              document_key: '655c2e6ec901403db4bf0b6172becf6a';
              variable: '020a6af09fd32200ef4afa7dc67fcfec';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '68de7499aeb14eb7900b67ffb3f665ae';
            key: {
              sys_security_acl: 'f8a92123f85b4658b4501af5e7758c57';
              sys_user_role: {
                id: 'dd945cd0db244dbc9a641ff464e3442b';
                key: {
                  name: 'x_imper_verify.integration';
                };
              };
            };
          },
          {
            table: 'sys_element_mapping';
            id: '6ae81673a3f24d2eb6637a97eb74d0c7';
            key: {
              field: 'record_id';
              table: 'var__m_atf_input_variable_1f39a288df60220062fe6c7a4df2639d';
              id: 'd4f91afbd01049ac8167560c83e39bb2';
            };
          },
          {
            table: 'sys_element_mapping';
            id: '6b6af9d017ac48a68698d09d4d4111ea';
            key: {
              field: 'query_params';
              table: 'var__m_atf_input_variable_e00571a10b3222000b7da95e93673a8f';
              id: '4f6b4c34a07140ea912149130c075f03';
            };
          },
          {
            table: 'sys_variable_value';
            id: '6cc8b2bd2af540eb97a38af234414bc5';
            key: {
              document_key: '8eb0cab0785f4dfd94aa8dc4ee80b892';
              variable: '46dbcb535320220002c6435723dc3409';
            };
          },
          {
            table: 'sys_variable_value';
            id: '6cd515446bd44d198b14e8bb55b11ae3';
            key: {
              document_key: '5a446af2e61a4b15964b26bc691a4912';
              variable: 'dd54cf535320220002c6435723dc34fd';
            };
          },
          {
            table: 'sys_variable_value';
            id: '6d665b84a7c5400b99bd6175aeef8990';
            key: {
              document_key: 'd8601bd1482748f0ad2a813c5fdc9322';
              variable: 'cd4744919f132200ef4afa7dc67fcf6e';
            };
          },
          {
            table: 'sys_variable_value';
            id: '6ecaefae3b3344a09475ef80efe39882';
            key: {
              document_key: '8d7fdf8f2ca745d5b01510bce03ef19c';
              variable: '46dbcb535320220002c6435723dc3409';
            };
          },
          {
            table: 'sys_variable_value';
            id: '725ce0a383044ad0a878a8d92ec1867d';
            key: {
              document_key: 'f9c03e47365c48a1bab7ed4088b7693c';
              variable: 'ff06ab840f20101091d0f00c97767e6d';
            };
          },
          {
            table: 'sys_variable_value';
            id: '726ec622782f444ba2a5742ef2363579';
            key: {
              document_key: '655c2e6ec901403db4bf0b6172becf6a';
              variable: '6cdd0ab543010210b6f9a0246bb8f2f2';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '74e5be2d12f1488f93f8aa455e6bad6c';
            key: {
              sys_security_acl: 'f8a92123f85b4658b4501af5e7758c57';
              sys_user_role: {
                id: '05c927ca75ca453abce8cfcdf0ca4ffe';
                key: {
                  name: 'x_imper_verify.admin';
                };
              };
            };
          },
          {
            table: 'sys_documentation';
            id: '75bb9e37fe3d4264b346c7602eea337e';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'subcategory';
              language: 'en';
            };
          },
          {
            table: 'sys_variable_value';
            id: '75f8229b07cf4589898bac34dc56a4b7';
            key: {
              document_key: 'eedc75e182f54143a6b59ef3b036d4aa';
              variable: 'cbddfa135320220002c6435723dc3415';
            };
          },
          {
            table: 'sys_db_object';
            id: '760b003bb5f44d6a908b3796f2826890';
            key: {
              name: 'x_imper_verify_event';
            };
          },
          {
            table: 'sys_choice';
            id: '77ac2419287e4baab692855499fde8c6';
            key: {
              name: 'task';
              element: 'x_imper_verify_status';
              value: 'in_progress';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_choice';
            id: '79db19ae29dd4b20b48933217b41b6ec';
            key: {
              name: 'task';
              element: 'x_imper_verify_action_status';
              value: 'completed';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_variable_value';
            id: '7a52975222c849bd8eb969608d7b3799';
            key: {
              document_key: '5d50a032ae074162881b0938ba0f5d64';
              variable: '1985e0ceff2433008d3f5d9ad53bf1ba';
            };
          },
          {
            table: 'sys_variable_value';
            id: '7a973d09693d47969b104e3aa66e06c1';
            key: {
              document_key: '68da9bfe08f64e36809e714521c7b784';
              variable: '6f69fc4aff6433008d3f5d9ad53bf18c';
            };
          },
          {
            table: 'sys_variable_value';
            id: '7ff28ff776f8499c9660f0fc4495ec86';
            key: {
              document_key: '5d50a032ae074162881b0938ba0f5d64';
              variable: 'ff06ab840f20101091d0f00c97767e6d';
            };
          },
          {
            table: 'sys_element_mapping';
            id: '802a64b17e7a44acb4a88fb1eb6b099a';
            key: {
              field: 'record_id';
              table: 'var__m_atf_input_variable_1f39a288df60220062fe6c7a4df2639d';
              id: 'd7f439637f874850b79ab6f35416b07e';
            };
          },
          {
            table: 'sys_variable_value';
            id: '80a6f49a11684c5790418378b415bb25';
            key: {
              document_key: 'be8d88110439482fb08362e21fb50c12';
              variable: '5a9258199f132200ef4afa7dc67fcfb4';
            };
          },
          {
            table: 'sys_variable_value';
            id: '81b2a7a00c9040afb428c14b1fbd4c3b';
            key: {
              document_key: '1879cd2afd7c4c8fbc306b2abcda42fe';
              variable: '98c44875ffa033008d3f5d9ad53bf1fa';
            };
          },
          {
            table: 'sys_variable_value';
            id: '81f024b3dcc84e3c9b5e29adec82a787';
            key: {
              document_key: 'f9c03e47365c48a1bab7ed4088b7693c';
              variable: '98c44875ffa033008d3f5d9ad53bf1fa';
            };
          },
          {
            table: 'sys_variable_value';
            id: '8261346c713a4a68b57d759e2b1d234b';
            key: {
              document_key: '1879cd2afd7c4c8fbc306b2abcda42fe';
              variable: '1985e0ceff2433008d3f5d9ad53bf1ba';
            };
          },
          {
            table: 'sys_ui_element';
            id: '8262e2422ff84d7cbd01b1fc75d66173';
            key: {
              sys_ui_section: {
                id: 'df42b587fa5648cd978448ac70757ebc';
                key: {
                  name: 'sc_req_item';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_attention';
              position: '6';
            };
          },
          {
            table: 'sys_ws_query_parameter_map';
            id: '839a8d9a60b94bcb9aa4dec45f8da12f';
            key: {
              web_service_operation: 'ccfba9296a774af0a35fb60e50b12a69';
              web_service_query_parameter: '58f8b4e1d5f94d5e92cd91963c920aae';
            };
          },
          {
            table: 'sys_variable_value';
            id: '859c15f8b65d4181bdb4d4a0764288ed';
            key: {
              document_key: '8d7fdf8f2ca745d5b01510bce03ef19c';
              variable: '501c8f535320220002c6435723dc34da';
            };
          },
          {
            table: 'sys_variable_value';
            id: '85c7651ecc344acba008be3c98bcae47';
            key: {
              document_key: 'd4f91afbd01049ac8167560c83e39bb2';
              variable: 'cbddfa135320220002c6435723dc3415';
            };
          },
          {
            table: 'sys_ui_element';
            id: '85d99e2596a24a368d67b32f51b71769';
            key: {
              sys_ui_section: {
                id: '86fc8d6dfd2040f389ab17585f20de7a';
                key: {
                  name: 'incident';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_risk_level';
              position: '3';
            };
          },
          {
            table: 'sys_variable_value';
            id: '8603583410634ad09282150c9f578541';
            key: {
              document_key: 'e9708cbcba924a5d9d06506b4103814a';
              variable: '1985e0ceff2433008d3f5d9ad53bf1ba';
            };
          },
          {
            table: 'sys_variable_value';
            id: '863c90cce08d4cc5b88e93249043a87c';
            key: {
              document_key: 'e3dc0753f12144b49841dd6e682c51fd';
              variable: '6aad5a575360220002c6435723dc34b0';
            };
          },
          {
            table: 'sys_choice';
            id: '86562c3adbc34f799d7ba3dbc3dd9e4a';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'action';
              value: 'none';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_choice';
            id: '86b1b935c7474bb89528875facfc089e';
            key: {
              name: 'task';
              element: 'x_imper_verify_action';
              value: 'account_unlock';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_ui_section';
            id: '86fc8d6dfd2040f389ab17585f20de7a';
            key: {
              name: 'incident';
              caption: 'imper.ai Verification';
              view: {
                id: 'Default view';
                key: {
                  name: 'NULL';
                };
              };
              sys_domain: 'global';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '87d7a9aea32d4042814dae678a55a8b7';
            key: {
              sys_security_acl: 'a5d1ff02e4cd4cb3a62bd160e18cc3d9';
              sys_user_role: {
                id: '05c927ca75ca453abce8cfcdf0ca4ffe';
                key: {
                  name: 'x_imper_verify.admin';
                };
              };
            };
          },
          {
            table: 'sys_variable_value';
            id: '89d974ebe53e43d78ba1d510a6a7f842';
            key: {
              document_key: '05e23b2ffcb349758c7e3cbf3fbecfc0';
              variable: 'cbddfa135320220002c6435723dc3415';
            };
          },
          {
            table: 'sys_documentation';
            id: '8a863dac8137420a84d771cd0b3ccc2b';
            key: {
              name: 'x_imper_verify_event';
              element: 'ticket_sys_id';
              language: 'en';
            };
          },
          {
            table: 'sys_variable_value';
            id: '8bbe2fef9f1c418ca7285939fcce8681';
            key: {
              document_key: 'ca6dd80c25a74ccda54987a90ba3d32d';
              variable: 'cec002650b3222000b7da95e93673aae';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '8becf53298894702883a7a433d51bf39';
            key: {
              sys_security_acl: 'eb81aee5ff124354b2e3380716095ffe';
              sys_user_role: {
                id: '05c927ca75ca453abce8cfcdf0ca4ffe';
                key: {
                  name: 'x_imper_verify.admin';
                };
              };
            };
          },
          {
            table: 'sys_variable_value';
            id: '8dbc9b53729b4051bc15112798f5aad3';
            key: {
              document_key: 'd4f91afbd01049ac8167560c83e39bb2';
              variable: '67400008676003007ba405225685efa4';
            };
          },
          {
            table: 'sys_element_mapping';
            id: '8de99095e79e4be5ba74ad789f2093fd';
            key: {
              field: 'record_id';
              table: 'var__m_atf_input_variable_1f39a288df60220062fe6c7a4df2639d';
              id: 'e3dc0753f12144b49841dd6e682c51fd';
            };
          },
          {
            table: 'sys_variable_value';
            id: '8e2390b526514cc88e3629c89a84934a';
            key: {
              document_key: '4f6b4c34a07140ea912149130c075f03';
              variable: '50bff9250b3222000b7da95e93673a9b';
            };
          },
          {
            table: 'sys_ui_element';
            id: '8f9d9a7cfc7c4a30b60ffb30df83ebd8';
            key: {
              sys_ui_section: {
                id: '86fc8d6dfd2040f389ab17585f20de7a';
                key: {
                  name: 'incident';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: '.split';
              position: '5';
            };
          },
          {
            table: 'sys_ui_element';
            id: '8ffa120c95cd48aa86361af5ee1ca70c';
            key: {
              sys_ui_section: {
                id: '86fc8d6dfd2040f389ab17585f20de7a';
                key: {
                  name: 'incident';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_action_status';
              position: '8';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '909964df3fd147be91d181d01864c504';
            key: {
              sys_security_acl: '2ff95bece3db4bd3857675aedb2d8e3f';
              sys_user_role: {
                id: '05c927ca75ca453abce8cfcdf0ca4ffe';
                key: {
                  name: 'x_imper_verify.admin';
                };
              };
            };
          },
          {
            table: 'sys_dictionary';
            id: '916d6f1007074c928ad86e2bd61dfc2a';
            key: {
              name: 'x_imper_verify_event';
              element: 'ticket_sys_id';
            };
          },
          {
            table: 'sys_variable_value';
            id: '924dfc0a51ed45498dc99c87c729fc07';
            key: {
              document_key: '8fd749adf85f4265b13aac62068ad16f';
              variable: '9024a37f671003007ba405225685efe5';
            };
          },
          {
            table: 'sys_variable_value';
            id: '92f3a46652314f72b1214ccad280ac92';
            key: {
              document_key: 'ff1226667f714eca928c04e5f721a973';
              variable: '78b8d86b531000109e02ddeeff7b12f3';
            };
          },
          {
            table: 'sys_variable_value';
            id: '9788a416cfab4790a3c206f73f270b1e';
            key: {
              document_key: '5a446af2e61a4b15964b26bc691a4912';
              variable: '9024a37f671003007ba405225685efe5';
            };
          },
          {
            table: 'sys_db_object';
            id: '97b53864c3fe45f8973fd50ff477cdd3';
            key: {
              name: 'x_imper_verify_category_policy';
            };
          },
          {
            table: 'sys_variable_value';
            id: '989d54cec78745739a6e10581c47040f';
            key: {
              document_key: 'd7f439637f874850b79ab6f35416b07e';
              variable: '67400008676003007ba405225685efa4';
            };
          },
          {
            table: 'sys_variable_value';
            id: '98f2f69e324f432d87ad0093f08a0e2a';
            key: {
              document_key: '5d50a032ae074162881b0938ba0f5d64';
              variable: '98c44875ffa033008d3f5d9ad53bf1fa';
            };
          },
          {
            table: 'sys_variable_value';
            id: '9997e4fa188049d1839581f32b74e294';
            key: {
              document_key: '655c2e6ec901403db4bf0b6172becf6a';
              variable: 'cec002650b3222000b7da95e93673aae';
            };
          },
          {
            table: 'sys_documentation';
            id: '99ccb88f78f44ac5bae32888e6c7cf31';
            key: {
              name: 'task';
              element: 'x_imper_verify_id';
              language: 'en';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: '9a2a053b2e994fffb717d380b3d601fd';
            key: {
              sys_security_acl: 'ce5746d9790b43b797421fa7091b8700';
              sys_user_role: {
                id: '05c927ca75ca453abce8cfcdf0ca4ffe';
                key: {
                  name: 'x_imper_verify.admin';
                };
              };
            };
          },
          {
            table: 'sys_variable_value';
            id: '9c3399c74e684495b0e00a4a79ac3b11';
            key: {
              document_key: 'e9708cbcba924a5d9d06506b4103814a';
              variable: 'ff06ab840f20101091d0f00c97767e6d';
            };
          },
          {
            table: 'sys_documentation';
            id: '9cafd8f9f4d4490280c81e57ce1d329a';
            key: {
              name: 'x_imper_verify_event';
              element: 'event_id';
              language: 'en';
            };
          },
          {
            table: 'sys_documentation';
            id: '9e9fe28412ae487697c49a01c3f7c4dd';
            key: {
              name: 'task';
              element: 'x_imper_verify_action_status';
              language: 'en';
            };
          },
          {
            table: 'sys_variable_value';
            id: '9f2268be704c45e1a71c69ccf25dda19';
            key: {
              document_key: 'd4f91afbd01049ac8167560c83e39bb2';
              variable: '52ed1e5b5360220002c6435723dc3421';
            };
          },
          {
            table: 'sys_variable_value';
            id: '9f9e4eafe9cf42ec9c18a93435237d9b';
            key: {
              document_key: 'd7f439637f874850b79ab6f35416b07e';
              variable: 'cbddfa135320220002c6435723dc3415';
            };
          },
          {
            table: 'sys_dictionary';
            id: '9fd76de59a1247b9a02ef1d019d3175d';
            key: {
              name: 'task';
              element: 'x_imper_verify_verification';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'a13e2021b8de48b98c2a0f5c98f4a8b0';
            key: {
              document_key: 'd7f439637f874850b79ab6f35416b07e';
              variable: '52ed1e5b5360220002c6435723dc3421';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'a3827258ab8747cfa9f0703fa72ce00b';
            key: {
              document_key: '655c2e6ec901403db4bf0b6172becf6a';
              variable: '50bff9250b3222000b7da95e93673a9b';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'a3a3162883904994b6ed1ebb0dfaeb9d';
            key: {
              document_key: 'f9c03e47365c48a1bab7ed4088b7693c';
              variable: '1778a7480f20101091d0f00c97767e03';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'a3a49dc4b15a417982096b0106b95144';
            key: {
              document_key: 'e3dc0753f12144b49841dd6e682c51fd';
              variable: '52ed1e5b5360220002c6435723dc3421';
            };
          },
          {
            table: 'sys_dictionary';
            id: 'a4f791cd574a4e00ad200254172e64bf';
            key: {
              name: 'task';
              element: 'x_imper_verify_status';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'a52602d3ba2a423e915574716952b77d';
            key: {
              document_key: '5a446af2e61a4b15964b26bc691a4912';
              variable: 'e6e3c7535320220002c6435723dc3496';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'a7588833bd634662b8b6ab2adc8d22b7';
            key: {
              document_key: '95bbd5dff25d4d55a5325fdf4882a363';
              variable: '46dbcb535320220002c6435723dc3409';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'a75d3d6f29064ebb9cff09d10387c328';
            key: {
              document_key: '05e23b2ffcb349758c7e3cbf3fbecfc0';
              variable: 'ff6e125353a0220002c6435723dc3442';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'a85bf1b958404f3ca6ee3b6dc76569e3';
            key: {
              document_key: '5d50a032ae074162881b0938ba0f5d64';
              variable: '8c07aba5ff6033008d3f5d9ad53bf13b';
            };
          },
          {
            table: 'sys_dictionary';
            id: 'ac91ff8697b84940954646c23c2a7681';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'action';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'ada2b4348dd040979fd71d735e4d6de7';
            key: {
              document_key: '8d7fdf8f2ca745d5b01510bce03ef19c';
              variable: 'bc4c43935320220002c6435723dc34a2';
            };
          },
          {
            table: 'ua_table_licensing_config';
            id: 'ae5bbce260464f43a815bd1c4d1b41e7';
            key: {
              name: 'x_imper_verify_event';
            };
          },
          {
            table: 'sys_ui_element';
            id: 'ae8d19b3d3c74ec4a18109580b20b650';
            key: {
              sys_ui_section: {
                id: 'df42b587fa5648cd978448ac70757ebc';
                key: {
                  name: 'sc_req_item';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_action';
              position: '7';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'af48869b02ab490eb4b5808b126072be';
            key: {
              document_key: '28663e4261084734beb14f3e7b67647f';
              variable: 'ff6e125353a0220002c6435723dc3442';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'afe03bf0e3f84545968e2993601da1dc';
            key: {
              document_key: '4f6b4c34a07140ea912149130c075f03';
              variable: '020a6af09fd32200ef4afa7dc67fcfec';
            };
          },
          {
            table: 'sys_element_mapping';
            id: 'b11e923233d74ada86f537b26f3d1f27';
            key: {
              field: 'record_id';
              table: 'var__m_atf_input_variable_1f39a288df60220062fe6c7a4df2639d';
              id: '28663e4261084734beb14f3e7b67647f';
            };
          },
          {
            table: 'sys_ui_element';
            id: 'b16aaccb9d014a4a9f5dd8adb474ac7e';
            key: {
              sys_ui_section: {
                id: '86fc8d6dfd2040f389ab17585f20de7a';
                key: {
                  name: 'incident';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_action';
              position: '7';
            };
          },
          {
            table: 'sys_element_mapping';
            id: 'b22003d8eab948069fd4fcb74d4ed4f4';
            key: {
              field: 'field_values';
              table: 'var__m_atf_input_variable_2d82e3c7531400109e02ddeeff7b12a7';
              id: 'ff1226667f714eca928c04e5f721a973';
            };
          },
          {
            table: 'sys_choice_set';
            id: 'b27710c234b24099b4368a675ff2932e';
            key: {
              name: 'task';
              element: 'x_imper_verify_action';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'b27722430944439f877bc3f152db729c';
            key: {
              document_key: '2057868886134b6fbfe26aea4f6b050c';
              variable: 'dd54cf535320220002c6435723dc34fd';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'b394490afa034b1f85d713fbe8ee1c62';
            key: {
              document_key: '4f6b4c34a07140ea912149130c075f03';
              variable: '6cdd0ab543010210b6f9a0246bb8f2f2';
            };
          },
          {
            table: 'sys_ui_element';
            id: 'b48a4583baa24f6aad00e396e91e5c47';
            key: {
              sys_ui_section: {
                id: 'c9932dd940714977a330a6da77753c05';
                key: {
                  name: 'task';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_verification';
              position: '1';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'b5637a11f0754df490de0c04d13dbabf';
            key: {
              document_key: 'c7d28a6a3b1242f684a33343d8a1d480';
              variable: '9f5f67709f132200ef4afa7dc67fcf94';
            };
          },
          {
            table: 'sys_element_mapping';
            id: 'b651981cd7f0423b9ab1fb043e37fc86';
            key: {
              field: 'record_id';
              table: 'var__m_atf_input_variable_17a72288df60220062fe6c7a4df26397';
              id: '95bbd5dff25d4d55a5325fdf4882a363';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: 'b7396ba65cc14eda9491edb87392ba9a';
            key: {
              sys_security_acl: '845b7ece814c4d9aa43d31347f925c89';
              sys_user_role: {
                id: '05c927ca75ca453abce8cfcdf0ca4ffe';
                key: {
                  name: 'x_imper_verify.admin';
                };
              };
            };
          },
          {
            table: 'sys_variable_value';
            id: 'b784f761a81c4065a0723c59d28439c8';
            key: {
              document_key: '8eb0cab0785f4dfd94aa8dc4ee80b892';
              variable: 'bc4c43935320220002c6435723dc34a2';
            };
          },
          {
            table: 'sys_choice';
            id: 'b78d5da731734dc79cfc0f1036eba7d0';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'action';
              value: 'password_reset';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: 'b8bf5c61b5b9457c8c8e9b0b7eb74e01';
            key: {
              sys_security_acl: '520499ebcf7c4e909199e6579a3b44da';
              sys_user_role: {
                id: '05c927ca75ca453abce8cfcdf0ca4ffe';
                key: {
                  name: 'x_imper_verify.admin';
                };
              };
            };
          },
          {
            table: 'sys_variable_value';
            id: 'b960f6d809f74abd84aca43bb6d5fed2';
            key: {
              document_key: 'd4f91afbd01049ac8167560c83e39bb2';
              variable: '6aad5a575360220002c6435723dc34b0';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: 'b99950c287024b1d8f798d51c30a8fa6';
            key: {
              sys_security_acl: '193241481bee46989d7c7f877bbd2b40';
              sys_user_role: {
                id: '05c927ca75ca453abce8cfcdf0ca4ffe';
                key: {
                  name: 'x_imper_verify.admin';
                };
              };
            };
          },
          {
            table: 'sys_ws_query_parameter_map';
            id: 'b9e71250f5204e4990a75014225c6ee1';
            key: {
              web_service_operation: 'ccfba9296a774af0a35fb60e50b12a69';
              web_service_query_parameter: '5a9845daa7ff46f89ef6746e7e70b856';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'ba30f9991c0b48438e62fc608908548c';
            key: {
              document_key: '1879cd2afd7c4c8fbc306b2abcda42fe';
              variable: '1778a7480f20101091d0f00c97767e03';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'ba4f9415e27646b595d4e235db688dbe';
            key: {
              document_key: 'ca6dd80c25a74ccda54987a90ba3d32d';
              variable: '58408e250b3222000b7da95e93673a5c';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'bb3c783c74324026b6c4c7f848e4551f';
            key: {
              document_key: 'c0d8dd6ea1984088a0235a88cf00f1aa';
              variable: '9f5f67709f132200ef4afa7dc67fcf94';
            };
          },
          {
            table: 'ua_table_licensing_config';
            id: 'bbcc08c916724da382274e54f9de804d';
            key: {
              name: 'task';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'bd2733b28a4049549fbd90d6f5355061';
            key: {
              document_key: 'eedc75e182f54143a6b59ef3b036d4aa';
              variable: '6aad5a575360220002c6435723dc34b0';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'bdcf07d513d34924833f28901e55e286';
            key: {
              document_key: 'eedc75e182f54143a6b59ef3b036d4aa';
              variable: '67400008676003007ba405225685efa4';
            };
          },
          {
            table: 'sys_ui_element';
            id: 'be82bf37fe3741638f337afe6d03fa96';
            key: {
              sys_ui_section: {
                id: 'df42b587fa5648cd978448ac70757ebc';
                key: {
                  name: 'sc_req_item';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_action_status';
              position: '8';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'bf9b54c53e7144df94440fdde59e1e60';
            key: {
              document_key: 'ca6dd80c25a74ccda54987a90ba3d32d';
              variable: '89ad06b543010210b6f9a0246bb8f2d7';
            };
          },
          {
            table: 'sys_documentation';
            id: 'c028974c1ed74c9e97d1ee0d9152f95e';
            key: {
              name: 'task';
              element: 'x_imper_verify_details_url';
              language: 'en';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'c0edb6032e6e468b8b5b74e50e48cebe';
            key: {
              document_key: 'd7f439637f874850b79ab6f35416b07e';
              variable: '6aad5a575360220002c6435723dc34b0';
            };
          },
          {
            table: 'sys_ui_element';
            id: 'c1f4d5236b96453893232efd5aa49c3b';
            key: {
              sys_ui_section: {
                id: '86fc8d6dfd2040f389ab17585f20de7a';
                key: {
                  name: 'incident';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_status';
              position: '2';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'c26083b8fb67446aae01eb287c636453';
            key: {
              document_key: '28663e4261084734beb14f3e7b67647f';
              variable: 'cbddfa135320220002c6435723dc3415';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'c2f3bcd7bfb445aea3bf0b20d91ccc1e';
            key: {
              document_key: 'f9c03e47365c48a1bab7ed4088b7693c';
              variable: '8c07aba5ff6033008d3f5d9ad53bf13b';
            };
          },
          {
            table: 'sys_user_role';
            id: 'c3295cdf4c924fa1851c8d8548bd4f0e';
            key: {
              name: 'x_imper_verify.agent';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'c3411939f26e426c99cc737e59a5d0ab';
            key: {
              document_key: '4f6b4c34a07140ea912149130c075f03';
              variable: '89ad06b543010210b6f9a0246bb8f2d7';
            };
          },
          {
            table: 'sys_documentation';
            id: 'c39caf9fc9a34e60952a25a025d3dd6c';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'task_table';
              language: 'en';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: 'c76ab61c2e5c41db84160fd4f27339a7';
            key: {
              sys_security_acl: 'c62d1134480e4a498946f16bd5ae1257';
              sys_user_role: {
                id: '05c927ca75ca453abce8cfcdf0ca4ffe';
                key: {
                  name: 'x_imper_verify.admin';
                };
              };
            };
          },
          {
            table: 'sys_documentation';
            id: 'c78195f1a313494baed6712ebedb79a8';
            key: {
              name: 'task';
              element: 'x_imper_verify_status';
              language: 'en';
            };
          },
          {
            table: 'sys_ui_element';
            id: 'c888fcbe82374569aa766be2cace6f21';
            key: {
              sys_ui_section: {
                id: '86fc8d6dfd2040f389ab17585f20de7a';
                key: {
                  name: 'incident';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: '.begin_split';
              position: '0';
            };
          },
          {
            table: 'sys_ui_section';
            id: 'c9932dd940714977a330a6da77753c05';
            key: {
              name: 'task';
              caption: 'imper.ai Verification';
              view: {
                id: 'Default view';
                key: {
                  name: 'NULL';
                };
              };
              sys_domain: 'global';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'c9a55faecd894eb0b7b1adf3b60c5cf5';
            key: {
              document_key: 'ca6dd80c25a74ccda54987a90ba3d32d';
              variable: '6cdd0ab543010210b6f9a0246bb8f2f2';
            };
          },
          {
            table: 'sys_dictionary';
            id: 'c9c83ba43a204a05b9c17509d7e3cdda';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'active';
            };
          },
          {
            table: 'sys_ui_element';
            id: 'ca07c16b4c9d4ccea5ae948d60c1ebba';
            key: {
              sys_ui_section: {
                id: 'df42b587fa5648cd978448ac70757ebc';
                key: {
                  name: 'sc_req_item';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_risk_level';
              position: '3';
            };
          },
          {
            table: 'sys_ui_element';
            id: 'cb6df3b90c054093bb65e24e8478feba';
            key: {
              sys_ui_section: {
                id: 'c9932dd940714977a330a6da77753c05';
                key: {
                  name: 'task';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_attention';
              position: '6';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'cbc20f810e3f4bdaaf20696208265d77';
            key: {
              document_key: '2057868886134b6fbfe26aea4f6b050c';
              variable: '90144b535320220002c6435723dc3488';
            };
          },
          {
            table: 'sys_documentation';
            id: 'cdb339ea91eb4c2dafbb99318eff4c72';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'NULL';
              language: 'en';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'cdb9afecd5d04e6eb924da4499230dc5';
            key: {
              document_key: '05e23b2ffcb349758c7e3cbf3fbecfc0';
              variable: '52ed1e5b5360220002c6435723dc3421';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'cddc14f2919445d6b40aa827322a7dc6';
            key: {
              document_key: '28663e4261084734beb14f3e7b67647f';
              variable: '67400008676003007ba405225685efa4';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'd073196cba3c4b6dafcd8e01f9fe3327';
            key: {
              document_key: '68da9bfe08f64e36809e714521c7b784';
              variable: '98c44875ffa033008d3f5d9ad53bf1fa';
            };
          },
          {
            table: 'sys_documentation';
            id: 'd0e7120ee6844fa08d1e8de93bee0874';
            key: {
              name: 'x_imper_verify_event';
              element: 'NULL';
              language: 'en';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: 'd4458bc876ec4ddd99833ee77ab3c54c';
            key: {
              sys_security_acl: '520499ebcf7c4e909199e6579a3b44da';
              sys_user_role: {
                id: 'dd945cd0db244dbc9a641ff464e3442b';
                key: {
                  name: 'x_imper_verify.integration';
                };
              };
            };
          },
          {
            table: 'sys_variable_value';
            id: 'd72ce1e2422f47ce84bfa132c06cb021';
            key: {
              document_key: '95bbd5dff25d4d55a5325fdf4882a363';
              variable: '501c8f535320220002c6435723dc34da';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'd77a9937d08b497981375f651417bada';
            key: {
              document_key: '939cce0e9c0042e6bd2ce65df05c06e8';
              variable: '334b7bb7675003007ba405225685ef72';
            };
          },
          {
            table: 'sys_choice';
            id: 'd79ea7fdc0874e7b8497f45417d886ec';
            key: {
              name: 'task';
              element: 'x_imper_verify_status';
              value: 'sent';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'd7d20b5f7db2408f86b9dd92b974b6e7';
            key: {
              document_key: '68846a18d6d54a0a91e0926f8897a532';
              variable: '2db298199f132200ef4afa7dc67fcfbc';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'd984467c78ac4f0089178fa70e0a53d6';
            key: {
              document_key: '655c2e6ec901403db4bf0b6172becf6a';
              variable: '58408e250b3222000b7da95e93673a5c';
            };
          },
          {
            table: 'sys_documentation';
            id: 'db4c33ed64f341cbb8762a2834a9e4b1';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'action';
              language: 'en';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'db61cb1d67684dcf894d24e3e84b7ecd';
            key: {
              document_key: '4f6b4c34a07140ea912149130c075f03';
              variable: '81e042650b3222000b7da95e93673aa2';
            };
          },
          {
            table: 'sys_ui_action_role';
            id: 'dbbdc2bf12834a3bbd878cc7bf82db3e';
            key: {
              sys_ui_action: 'b6323ed9da2b4d739ef3aa896d9b76f5';
              sys_user_role: {
                id: 'c3295cdf4c924fa1851c8d8548bd4f0e';
                key: {
                  name: 'x_imper_verify.agent';
                };
              };
            };
          },
          {
            table: 'sys_ui_element';
            id: 'dc26fda9a6364bd8a203c648a995cef8';
            key: {
              sys_ui_section: {
                id: 'c9932dd940714977a330a6da77753c05';
                key: {
                  name: 'task';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: '.end_split';
              position: '9';
            };
          },
          {
            table: 'sys_db_object';
            id: 'dc5c9d76733a4a1fa5adb8d7a8a9f1c0';
            key: {
              name: 'task';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'dc68f080cc864302a721257d41d2b68d';
            key: {
              document_key: 'e9708cbcba924a5d9d06506b4103814a';
              variable: 'b27b2b29ff6033008d3f5d9ad53bf164';
            };
          },
          {
            table: 'sys_ui_element';
            id: 'dc7c759d930a4b91bc35c515981ac605';
            key: {
              sys_ui_section: {
                id: 'c9932dd940714977a330a6da77753c05';
                key: {
                  name: 'task';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: 'x_imper_verify_risk_level';
              position: '3';
            };
          },
          {
            table: 'sys_dictionary';
            id: 'dc7fde7b9fb5467eb9b1d646701fa9fa';
            key: {
              name: 'task';
              element: 'x_imper_verify_action';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'dcc19046e06048d4b9221d48ea3045b4';
            key: {
              document_key: '68da9bfe08f64e36809e714521c7b784';
              variable: 'ff06ab840f20101091d0f00c97767e6d';
            };
          },
          {
            table: 'sys_choice';
            id: 'dce0d6d19246402c9a60ddb9872f4e57';
            key: {
              name: 'task';
              element: 'x_imper_verify_status';
              value: 'incomplete';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_user_role';
            id: 'dd945cd0db244dbc9a641ff464e3442b';
            key: {
              name: 'x_imper_verify.integration';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: 'de156de169f645e09a7b26b3de4c6e94';
            key: {
              sys_security_acl: 'eb81aee5ff124354b2e3380716095ffe';
              sys_user_role: {
                id: 'dd945cd0db244dbc9a641ff464e3442b';
                key: {
                  name: 'x_imper_verify.integration';
                };
              };
            };
          },
          {
            table: 'sys_choice_set';
            id: 'de99a240355142f3ba53ba5e3eeb7fd8';
            key: {
              name: 'task';
              element: 'x_imper_verify_risk_level';
            };
          },
          {
            table: 'sys_dictionary';
            id: 'ded8079c0966455e8ef273965a48c220';
            key: {
              name: 'x_imper_verify_event';
              element: 'ticket_table';
            };
          },
          {
            table: 'sys_ui_section';
            id: 'df42b587fa5648cd978448ac70757ebc';
            key: {
              name: 'sc_req_item';
              caption: 'imper.ai Verification';
              view: {
                id: 'Default view';
                key: {
                  name: 'NULL';
                };
              };
              sys_domain: 'global';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: 'df962f6497854d329e0ef0949a10559e';
            key: {
              sys_security_acl: '976df22b5a8d4adfb8c6a72ecaafd3f1';
              sys_user_role: {
                id: '05c927ca75ca453abce8cfcdf0ca4ffe';
                key: {
                  name: 'x_imper_verify.admin';
                };
              };
            };
          },
          {
            table: 'sys_element_mapping';
            id: 'df96eb4139454c26abdb2a2afd47673f';
            key: {
              field: 'request_body';
              table: 'var__m_atf_input_variable_e00571a10b3222000b7da95e93673a8f';
              id: 'ca6dd80c25a74ccda54987a90ba3d32d';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'dfe0d94555124bd2ab7c4b06ab659b2b';
            key: {
              document_key: 'd8601bd1482748f0ad2a813c5fdc9322';
              variable: '19280c919f132200ef4afa7dc67fcf16';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'e129e2ad873645b9b3e13fdb0783ba87';
            key: {
              document_key: 'c0d8dd6ea1984088a0235a88cf00f1aa';
              variable: '1d94cb1f3b8032000774229c93efc419';
            };
          },
          {
            table: 'sys_choice';
            id: 'e2047f8e2490491bb9b80ca131bd1c15';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'action';
              value: 'account_unlock';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'e43fed2e61a447fda771d48975059e58';
            key: {
              document_key: '8fd749adf85f4265b13aac62068ad16f';
              variable: 'e6e3c7535320220002c6435723dc3496';
            };
          },
          {
            table: 'sys_documentation';
            id: 'e7ded20dc42446e0bb6f241bb7bbb624';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'active';
              language: 'en';
            };
          },
          {
            table: 'sys_dictionary';
            id: 'e8e14bcce860405eb61e96e6979541d0';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'NULL';
            };
          },
          {
            table: 'sys_choice_set';
            id: 'e9ca39e65b48477eb6a33c5e058969b6';
            key: {
              name: 'task';
              element: 'x_imper_verify_action_status';
            };
          },
          {
            table: 'sys_ui_element';
            id: 'eac3bce2b13c4739b68b67b253b6b57f';
            key: {
              sys_ui_section: {
                id: 'df42b587fa5648cd978448ac70757ebc';
                key: {
                  name: 'sc_req_item';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: '.split';
              position: '5';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'eac9e2b64eb34426b03e2aec2a5176c4';
            key: {
              document_key: '95bbd5dff25d4d55a5325fdf4882a363';
              variable: '53fb0f535320220002c6435723dc34ec';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'eb60bcd42d7848a0b756a1b80546f012';
            key: {
              document_key: 'eedc75e182f54143a6b59ef3b036d4aa';
              variable: '52ed1e5b5360220002c6435723dc3421';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'ebb556c3950846d78b34a36b0adb9e42';
            key: {
              document_key: '5d50a032ae074162881b0938ba0f5d64';
              variable: '1778a7480f20101091d0f00c97767e03';
            };
          },
          {
            table: 'sys_dictionary';
            id: 'ee57a954988244a6b069700ab8829a8a';
            key: {
              name: 'x_imper_verify_event';
              element: 'event_id';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'ee822c836939483fae1e87752950e366';
            key: {
              document_key: '68da9bfe08f64e36809e714521c7b784';
              variable: '8c07aba5ff6033008d3f5d9ad53bf13b';
            };
          },
          {
            table: 'sys_element_mapping';
            id: 'ef5906960f4b424bb097717a0dc0bb44';
            key: {
              field: 'record_id';
              table: 'var__m_atf_input_variable_17a72288df60220062fe6c7a4df26397';
              id: '939cce0e9c0042e6bd2ce65df05c06e8';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: 'efd0dfcfe5fb4f0d8fd5ebf1989911c6';
            key: {
              sys_security_acl: '07c8a59fed4445918fb23cefd09b9d0d';
              sys_user_role: {
                id: '05c927ca75ca453abce8cfcdf0ca4ffe';
                key: {
                  name: 'x_imper_verify.admin';
                };
              };
            };
          },
          {
            table: 'sys_variable_value';
            id: 'f1a52716bbb946d99da36154717e9eb7';
            key: {
              document_key: '4f6b4c34a07140ea912149130c075f03';
              variable: 'cec002650b3222000b7da95e93673aae';
            };
          },
          {
            table: 'sys_choice';
            id: 'f1ddc3ad270840518ccefb8695b634d3';
            key: {
              name: 'task';
              element: 'x_imper_verify_status';
              value: 'required';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_documentation';
            id: 'f3d42cef2355481fa53c5896e93962fd';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'auto_close';
              language: 'en';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'f3edde87ad234bf1927185cbcb754be2';
            key: {
              document_key: '68da9bfe08f64e36809e714521c7b784';
              variable: '1778a7480f20101091d0f00c97767e03';
            };
          },
          {
            table: 'sys_choice';
            id: 'f5afb4e8b2364efe95901efa1547c5d0';
            key: {
              name: 'task';
              element: 'x_imper_verify_status';
              value: 'failed';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'f5ea1693b9f34be293d6da52127cf581';
            key: {
              document_key: 'd7f439637f874850b79ab6f35416b07e';
              variable: 'ff6e125353a0220002c6435723dc3442';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: 'f76255c3a3824945bc6cc48879f5dd6b';
            key: {
              sys_security_acl: '815f4d9ada9342adbe636b9f5684779b';
              sys_user_role: {
                id: 'dd945cd0db244dbc9a641ff464e3442b';
                key: {
                  name: 'x_imper_verify.integration';
                };
              };
            };
          },
          {
            table: 'ua_table_licensing_config';
            id: 'f7b33f8d9d334c9a8aa9160d2750a2ad';
            key: {
              name: 'x_imper_verify_category_policy';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: 'f81c588b40e44b868223b50b230e62fe';
            key: {
              sys_security_acl: '65a263e014c141a3873a50a9707f963b';
              sys_user_role: {
                id: 'dd945cd0db244dbc9a641ff464e3442b';
                key: {
                  name: 'x_imper_verify.integration';
                };
              };
            };
          },
          {
            table: 'sys_variable_value';
            id: 'f9d7335f42f84b11a63e3005983c3e77';
            key: {
              document_key: 'e9708cbcba924a5d9d06506b4103814a';
              variable: '98c44875ffa033008d3f5d9ad53bf1fa';
            };
          },
          {
            table: 'sys_security_acl_role';
            id: 'f9d95f4d7c8847efa932815ab4b4c637';
            key: {
              sys_security_acl: '976df22b5a8d4adfb8c6a72ecaafd3f1';
              sys_user_role: {
                id: 'dd945cd0db244dbc9a641ff464e3442b';
                key: {
                  name: 'x_imper_verify.integration';
                };
              };
            };
          },
          {
            table: 'sys_ui_element';
            id: 'fa43a65eb2d54d8786e37c409405e6a0';
            key: {
              sys_ui_section: {
                id: 'df42b587fa5648cd978448ac70757ebc';
                key: {
                  name: 'sc_req_item';
                  caption: 'imper.ai Verification';
                  view: {
                    id: 'Default view';
                    key: {
                      name: 'NULL';
                    };
                  };
                  sys_domain: 'global';
                };
              };
              element: '.begin_split';
              position: '0';
            };
          },
          {
            table: 'sys_element_mapping';
            id: 'fb12e46a66b54d2bac4f6e958810a5b9';
            key: {
              field: 'record_id';
              table: 'var__m_atf_input_variable_17a72288df60220062fe6c7a4df26397';
              id: '8d7fdf8f2ca745d5b01510bce03ef19c';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'fb6208a6a1494bb8802b895d12eabe8c';
            key: {
              document_key: 'f9c03e47365c48a1bab7ed4088b7693c';
              variable: '6f69fc4aff6433008d3f5d9ad53bf18c';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'fbc84ce9dbe048ec8fb08ebf199efcfa';
            key: {
              document_key: '1879cd2afd7c4c8fbc306b2abcda42fe';
              variable: 'ff06ab840f20101091d0f00c97767e6d';
            };
          },
          {
            table: 'sys_ui_action_role';
            id: 'fbe648f5b3cd4853a471e7c44955fe32';
            key: {
              sys_ui_action: 'b6323ed9da2b4d739ef3aa896d9b76f5';
              sys_user_role: {
                id: '199a7f76d32e46d9adce58792c351316';
                key: {
                  name: 'itil';
                };
              };
            };
          },
          {
            table: 'sys_choice';
            id: 'ff36753e17484f0eb6d98c5ab86ad6f1';
            key: {
              name: 'x_imper_verify_category_policy';
              element: 'action';
              value: 'mfa_reset';
              language: 'en';
              dependent_value: 'NULL';
            };
          },
          {
            table: 'sys_variable_value';
            id: 'ff56377fa63845fcbb2e2a2e879c723b';
            key: {
              document_key: '2057868886134b6fbfe26aea4f6b050c';
              variable: '9024a37f671003007ba405225685efe5';
            };
          },
        ];
      }
    }
  }
}
